#pragma once
// One server session on a pair of file descriptors, like a mail server started by inetd:
// `postino serve --stdio pop3`. Uses the real clock.
#include "sim/mail/store.hpp"
#include "sim/session/protocol.hpp"

namespace postino::io {

// Runs until the session closes, the input ends or the client idles past the autologout.
// Returns a process exit code: 0, or 1 on an I/O error.
int serve_stdio(session::Protocol protocol, mail::Store& store, int in_fd = 0, int out_fd = 1);

}  // namespace postino::io
