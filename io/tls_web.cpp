// The browser build's TLS: none (no OpenSSL for WebAssembly here). Only WireTap is used there
// (the transcript's "What a listener sees"); it says the encrypted records are a desktop feature
// and the transcript shows the lines as they are. tls.cpp is the real one.
#include "io/tls.hpp"

namespace postino::io {

// Never made in the browser; defined so the types link.
TlsContext::~TlsContext() = default;
TlsConnection::~TlsConnection() = default;
WireTap::~WireTap() = default;

std::unique_ptr<WireTap> WireTap::start(const std::string&, std::string& error) {
  error = "the encrypted records are shown by the desktop program only";
  return nullptr;
}

std::vector<WireTap::Record> WireTap::seal(std::string_view, bool) { return {}; }

}  // namespace postino::io
