#pragma once
// The benchmarks' eight devices (issue 4): pop0-pop3 on POP3 995 leaving mail on the server,
// imap4-imap7 on IMAP 993; kinds cycle phone, tablet, laptop, desktop.
#include <string>

#include "sim/world/world.hpp"

namespace postino::bench {

inline world::DeviceConfig device(int k) {
  world::DeviceConfig c;
  c.name = (k < 4 ? "pop" : "imap") + std::to_string(k);
  c.kind = static_cast<world::DeviceKind>(k % 4);
  c.protocol = k < 4 ? world::Protocol::Pop3 : world::Protocol::Imap;
  c.port = k < 4 ? 995 : 993;
  c.account = "info@tuodominio.it";
  c.password = "segreta";
  c.leave_on_server = k < 4;
  return c;
}

}  // namespace postino::bench
