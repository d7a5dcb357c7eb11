#pragma once
// SMTP wire helpers shared by the server session and the client engine.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postino::smtp {

// The argument of MAIL and RCPT: the address between < and > (empty for the null reverse-path
// "<>"), then the ESMTP parameters as keyword (upper case) and value.
struct PathArgument {
  std::string address;
  std::vector<std::pair<std::string, std::string>> params;
};

// mail-args = "FROM:" [SP] ( "<>" / Path ) *(SP esmtp-param)    (RFC 5321 section 4.1.2;
// `keyword` is "FROM:" or "TO:", matched in any case; the space after the colon is tolerated as
// most servers do). Path = "<" [A-d-l ":"] Mailbox ">": a source route is dropped (section C).
// nullopt when it does not parse.
std::optional<PathArgument> parse_path_argument(std::string_view args, std::string_view keyword);

// Mailbox = Local-part "@" Domain, loosely: one "@" with something on both sides, no spaces.
bool is_mailbox(std::string_view address);
std::string_view domain_of(std::string_view address);

// One reply line: Reply-code [ "-" / SP ] text. `more` when "-" says another line follows.
struct ReplyLine {
  int code = 0;
  bool more = false;
  std::string_view text;
};
std::optional<ReplyLine> parse_reply_line(std::string_view line);

}  // namespace postino::smtp
