#pragma once
// TLS for `postino serve` (OpenSSL): a self-signed certificate kept in the user's config
// directory, and one server-side TLS connection over memory BIOs, so the caller owns the socket.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace postino::io {

class TlsContext {
 public:
  // Loads cert.pem and key.pem from `dir`, creating a self-signed pair (CN=localhost, SAN
  // localhost and 127.0.0.1) on first use. nullopt with `error` set when that fails.
  static std::unique_ptr<TlsContext> server(const std::string& dir, std::string& error);
  // The client's side; it accepts any certificate (only ever used against our own server).
  static std::unique_ptr<TlsContext> client(std::string& error);
  ~TlsContext();
  SSL_CTX* get() const { return ctx_; }
  const std::string& certificate_path() const { return cert_path_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  std::string cert_path_;
};

class TlsConnection {
 public:
  // `client`: this end starts the handshake (a context from TlsContext::client()).
  explicit TlsConnection(const TlsContext& ctx, bool client = false);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // Ciphertext from the network; returns false when the TLS layer failed (close the connection).
  bool feed(std::string_view ciphertext);
  // Plaintext that arrived, once the handshake is done.
  std::string take_plaintext();
  // Plaintext to send; encrypted into the outgoing ciphertext (held until the handshake is done:
  // with implicit TLS the server's greeting is ready before the client's hello arrives).
  bool write(std::string_view plaintext);
  // Ciphertext to put on the network (handshake records included).
  std::string take_ciphertext();
  bool handshake_done() const { return done_; }
  // Says goodbye properly (close_notify) before the socket closes.
  void shutdown();
  std::string error() const { return error_; }

 private:
  bool pump();
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // network -> SSL
  BIO* out_ = nullptr;  // SSL -> network
  bool done_ = false;
  std::string plain_;
  std::string pending_;  // plaintext written before the handshake finished
  std::string error_;
};

// What a listener on the wire sees of a simulated TLS connection: its plaintext encrypted for
// real by an OpenSSL client and server over memory BIOs. The bytes differ every run (TLS is
// meant to); the simulation's trace keeps the plaintext, this only shows how it travels.
class WireTap {
 public:
  struct Record {
    bool to_server;
    std::string bytes;  // one TLS record: 5-byte header and its payload
  };
  // Makes both ends and runs the handshake. nullptr with `error` set on failure.
  static std::unique_ptr<WireTap> start(const std::string& cert_dir, std::string& error);
  ~WireTap();
  // The handshake's records, in the order they crossed the wire.
  const std::vector<Record>& handshake() const { return handshake_; }
  // `plain` sent by the client (to_server) or the server, as records; empty when TLS failed.
  std::vector<Record> seal(std::string_view plain, bool to_server);

 private:
  WireTap() = default;
  std::shared_ptr<TlsContext> server_ctx_, client_ctx_;  // made once, shared by every tap
  std::unique_ptr<TlsConnection> server_, client_;
  std::vector<Record> handshake_;
};

// "17 03 03 00 2a" and so on, at most `max` bytes then "...".
std::string hex(std::string_view bytes, std::size_t max);

}  // namespace postino::io
