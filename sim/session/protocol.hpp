#pragma once
// The mail protocols a session can speak.
namespace postino::session {

enum class Protocol { Pop3, Imap };

}  // namespace postino::session
