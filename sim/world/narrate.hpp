#pragma once
// Events into sentences, one formatter per language (narrate_en.cpp, narrate_it.cpp). The GUI,
// `postino run --lang` and saved transcripts all speak through here; nothing else writes prose
// about what happened, and nothing reads these sentences back.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/lang.hpp"
#include "sim/world/event.hpp"

namespace postino::world {

// "connects to the server: POP3 port 995 with TLS from the start" (the device is said apart).
std::string describe(const Event& e, Lang lang);
// A Check event's expectation and, when it failed, what was seen, without the ok/FAILED prefix.
std::string describe_check(const Event& e, Lang lang);
// A ClientError's message as the app shows it, without "error shown to the user".
std::string client_problem(const Event& e, Lang lang);
// The transcript's "who" column for an event that is not a device's: server, clock, say, expect.
std::string source_label(Source s, Lang lang);

// What people call a folder: INBOX is "Posta in arrivo" in Italian, Trash "Cestino"; other
// names are decoded from IMAP's modified UTF-7.
std::string folder_name(std::string_view stored, Lang lang);
// 1234567 as "1,234,567" or "1.234.567".
std::string format_count(std::uint64_t n, Lang lang);
// Octets as mail apps show a size: "512 bytes", "1.2 MB" / "1,2 MB" (1 KB = 1024 octets).
std::string format_size(std::uint64_t n, Lang lang);
// "2026-11-26 09:15" or "26/11/2026 09:15".
std::string format_when(Time t, Lang lang);
// n with the singular or plural noun: "1 message", "2 messages".
std::string count_of(std::uint64_t n, Lang lang, const char* one, const char* many);

namespace detail {
std::string describe_en(const Event& e);
std::string describe_it(const Event& e);
std::string check_en(const Event& e);
std::string check_it(const Event& e);
std::string problem_en(const Event& e);
std::string problem_it(const Event& e);
// "a", "b", "c" with the given quotes; `none` when empty.
std::string quoted_list(const std::vector<std::string>& v, const char* open, const char* close,
                        const char* none);
}  // namespace detail

}  // namespace postino::world
