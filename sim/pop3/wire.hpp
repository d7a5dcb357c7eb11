#pragma once
// POP3 wire helpers shared by the server session and the client engine.
#include <string>
#include <string_view>

namespace postino::pop3 {

// Appends `text` as a multi-line response body (RFC 1939 section 3): each line that starts with
// "." gets one more ".", a final CRLF is added if missing, then the ".CRLF" terminator.
void append_dot_stuffed(std::string& out, std::string_view text);

// The inverse, for one received line (without its CRLF) of a multi-line response.
std::string_view dot_unstuff(std::string_view line);

// APOP (RFC 1939 section 7): lower-case hex MD5 of the greeting's timestamp and the secret.
std::string apop_digest(std::string_view timestamp, std::string_view secret);

// The "<...>" timestamp in a greeting line, or empty when there is none.
std::string_view apop_timestamp(std::string_view greeting);

// The response code of RFC 2449 section 8 in a status line: "-ERR [IN-USE] ..." -> "IN-USE".
std::string_view response_code(std::string_view status_line);

}  // namespace postino::pop3
