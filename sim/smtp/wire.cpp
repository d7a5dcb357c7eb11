#include "sim/smtp/wire.hpp"

#include "sim/core/text.hpp"

namespace postino::smtp {

std::optional<PathArgument> parse_path_argument(std::string_view args, std::string_view keyword) {
  if (!istarts_with(args, keyword)) return std::nullopt;
  args.remove_prefix(keyword.size());
  if (args.starts_with(' ')) args.remove_prefix(1);
  if (!args.starts_with('<')) return std::nullopt;
  const auto close = args.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view path = args.substr(1, close - 1);
  if (path.find_first_of(" <") != std::string_view::npos) return std::nullopt;
  if (path.starts_with('@')) {  // A-d-l ":" Mailbox: the route is obsolete and ignored
    const auto colon = path.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    path.remove_prefix(colon + 1);
  }
  PathArgument out{std::string(path), {}};
  std::string_view rest = args.substr(close + 1);
  if (!rest.empty() && rest.front() != ' ') return std::nullopt;
  for (std::string_view word : split_words(rest)) {
    const auto eq = word.find('=');
    out.params.emplace_back(upper(word.substr(0, eq)),
                            eq == std::string_view::npos ? std::string() : std::string(word.substr(eq + 1)));
  }
  return out;
}

bool is_mailbox(std::string_view address) {
  const auto at = address.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of(" \t<>") == std::string_view::npos;
}

std::string_view domain_of(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

// Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
std::optional<ReplyLine> parse_reply_line(std::string_view line) {
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) return std::nullopt;
  if (line[0] < '2' || line[0] > '5') return std::nullopt;
  ReplyLine r;
  r.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (line.size() == 3) return r;
  if (line[3] != ' ' && line[3] != '-') return std::nullopt;
  r.more = line[3] == '-';
  r.text = line.substr(4);
  return r;
}

}  // namespace postino::smtp
