#pragma once
// The mail protocols a session can speak.
namespace postino::session {

// Smtp: message submission (RFC 6409), how a mail app sends.
enum class Protocol { Pop3, Imap, Smtp };

}  // namespace postino::session
