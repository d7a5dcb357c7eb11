#pragma once
#include "sim/mail/store.hpp"

namespace postino::mail {

inline constexpr std::string_view kDemoAddress = "info@tuodominio.it";
inline constexpr std::string_view kDemoPassword = "segreta";
inline constexpr std::uint64_t kDemoQuota = 20ull * 1024 * 1024;

// The store a newcomer meets: tuodominio.it with info@, amministrazione@ and commerciale@
// (source claim S1); info@ holds the sample messages of assets/mail/.
Store make_demo_store();

}  // namespace postino::mail
