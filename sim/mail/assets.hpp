#pragma once
// The sample messages of assets/mail/, compiled in (sim/ reads no files).
#include <span>
#include <string_view>

namespace postino::mail {

struct Asset {
  std::string_view name;  // file name, e.g. "01-benvenuto.eml"
  std::string_view text;
};

std::span<const Asset> sample_mail();

}  // namespace postino::mail
