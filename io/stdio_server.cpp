#include "io/stdio_server.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <string>

#include "sim/protocols/protocols.hpp"

namespace postino::io {
namespace {

Time wall_clock() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

int run(session::Server& session, int in_fd, int out_fd) {
  char buf[16384];
  for (;;) {
    if (!write_all(out_fd, session.take_output())) {
      session.connection_lost(wall_clock());
      return 1;
    }
    if (session.closed()) return 0;
    const Time wait = session.deadline() - wall_clock();
    pollfd p{in_fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::max<Time>(wait, 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      session.tick(wall_clock());
      continue;
    }
    ssize_t n = ::read(in_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      session.connection_lost(wall_clock());
      return n < 0 ? 1 : 0;
    }
    session.receive(std::string_view(buf, static_cast<std::size_t>(n)), wall_clock());
  }
}

}  // namespace

int serve_stdio(session::Protocol protocol, mail::Store& store, int in_fd, int out_fd) {
  const auto id = static_cast<std::uint64_t>(::getpid());
  auto session = session::make_server(protocol, store, {.session_id = id}, wall_clock());
  return run(*session, in_fd, out_fd);
}

}  // namespace postino::io
