#include "io/tls.hpp"

#include "io/config_dir.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

namespace postino::io {
namespace {

std::string last_error() {
  char buf[256];
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return buf;
}

bool exists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

// A self-signed certificate for localhost, valid ten years: enough for a classroom.
bool create_self_signed(const std::string& cert_path, const std::string& key_path, std::string& error) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  bool ok = key && x;
  if (ok) {
    ASN1_INTEGER_set(X509_get_serialNumber(x), static_cast<long>(std::time(nullptr)));
    X509_set_version(x, 2);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 60L * 60 * 24 * 3650);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Postino"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
    if (X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1")) {
      X509_add_ext(x, san, -1);
      X509_EXTENSION_free(san);
    }
    ok = X509_sign(x, key, EVP_sha256()) > 0;
  }
  if (ok) {
    // The key is 0600 from its first byte: created exclusively with that mode (a stale key, or a
    // file someone put there, is removed first), never loosened and tightened afterwards.
    ::unlink(key_path.c_str());
    const int kfd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    FILE* kf = kfd >= 0 ? ::fdopen(kfd, "w") : nullptr;
    if (kfd >= 0 && !kf) ::close(kfd);
    FILE* cf = std::fopen(cert_path.c_str(), "w");
    ok = kf && cf && PEM_write_PrivateKey(kf, key, nullptr, nullptr, 0, nullptr, nullptr) &&
         PEM_write_X509(cf, x);
    if (kf && std::fclose(kf) != 0) ok = false;
    if (cf && std::fclose(cf) != 0) ok = false;
  }
  if (!ok) error = "cannot create a self-signed certificate: " + last_error();
  X509_free(x);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::server(const std::string& dir, std::string& error) {
  const std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  if (!exists(cert) || !exists(key)) {
    if (!make_dirs(dir)) {
      error = "cannot create " + dir;
      return nullptr;
    }
    if (!create_self_signed(cert, key, error)) return nullptr;
  }
  auto t = std::unique_ptr<TlsContext>(new TlsContext());
  t->cert_path_ = cert;
  t->ctx_ = SSL_CTX_new(TLS_server_method());
  if (!t->ctx_ || SSL_CTX_set_min_proto_version(t->ctx_, TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate_chain_file(t->ctx_, cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(t->ctx_, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = "cannot load " + cert + ": " + last_error();
    return nullptr;
  }
  return t;
}

std::unique_ptr<TlsContext> TlsContext::client(std::string& error) {
  auto t = std::unique_ptr<TlsContext>(new TlsContext());
  t->ctx_ = SSL_CTX_new(TLS_client_method());
  if (!t->ctx_) {
    error = "cannot make a TLS client: " + last_error();
    return nullptr;
  }
  SSL_CTX_set_verify(t->ctx_, SSL_VERIFY_NONE, nullptr);
  return t;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsConnection::TlsConnection(const TlsContext& ctx, bool client) {
  ssl_ = SSL_new(ctx.get());
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, in_, out_);  // the SSL owns both BIOs now
  if (client) SSL_set_connect_state(ssl_);
  else SSL_set_accept_state(ssl_);
}

TlsConnection::~TlsConnection() { SSL_free(ssl_); }

bool TlsConnection::pump() {
  if (!done_) {
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) {
      done_ = true;
      if (!pending_.empty() && !write(std::exchange(pending_, {}))) return false;
    } else {
      const int e = SSL_get_error(ssl_, r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        error_ = "TLS handshake failed: " + last_error();
        return false;
      }
      return true;
    }
  }
  char buf[16384];
  for (;;) {
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      plain_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    const int e = SSL_get_error(ssl_, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return true;
    if (e == SSL_ERROR_ZERO_RETURN) return true;  // close_notify: the socket's EOF follows
    error_ = "TLS error: " + last_error();
    return false;
  }
}

bool TlsConnection::feed(std::string_view ciphertext) {
  if (!ciphertext.empty()) BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size()));
  return pump();
}

void TlsConnection::shutdown() {
  if (done_) SSL_shutdown(ssl_);
}

std::string TlsConnection::take_plaintext() { return std::exchange(plain_, {}); }

bool TlsConnection::write(std::string_view plaintext) {
  if (!done_) {
    pending_.append(plaintext);
    return true;
  }
  while (!plaintext.empty()) {
    const int n = SSL_write(ssl_, plaintext.data(), static_cast<int>(plaintext.size()));
    if (n <= 0) {
      error_ = "TLS write failed: " + last_error();
      return false;
    }
    plaintext.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string TlsConnection::take_ciphertext() {
  std::string out;
  char buf[16384];
  int n;
  while ((n = BIO_read(out_, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

namespace {

// Splits ciphertext into its records (type, version, 2-byte length, payload).
void split_records(std::string_view bytes, bool to_server, std::vector<WireTap::Record>& out) {
  while (bytes.size() >= 5) {
    const std::size_t len = (static_cast<unsigned char>(bytes[3]) << 8) | static_cast<unsigned char>(bytes[4]);
    const std::size_t n = std::min(bytes.size(), 5 + len);
    out.push_back({to_server, std::string(bytes.substr(0, n))});
    bytes.remove_prefix(n);
  }
}

}  // namespace

std::unique_ptr<WireTap> WireTap::start(const std::string& cert_dir, std::string& error) {
  static std::shared_ptr<TlsContext> server_ctx, client_ctx;
  static std::string made_for;
  if (!server_ctx || made_for != cert_dir) {
    server_ctx = TlsContext::server(cert_dir, error);
    client_ctx = server_ctx ? TlsContext::client(error) : nullptr;
    made_for = cert_dir;
  }
  if (!server_ctx || !client_ctx) return nullptr;
  auto t = std::unique_ptr<WireTap>(new WireTap());
  t->server_ctx_ = server_ctx;
  t->client_ctx_ = client_ctx;
  t->server_ = std::make_unique<TlsConnection>(*t->server_ctx_);
  t->client_ = std::make_unique<TlsConnection>(*t->client_ctx_, true);
  // Ping-pong the handshake through memory, as a network would carry it.
  bool to_server = true;
  t->client_->feed({});
  for (int round = 0; round < 16 && !(t->client_->handshake_done() && t->server_->handshake_done()); ++round) {
    TlsConnection& from = to_server ? *t->client_ : *t->server_;
    TlsConnection& to = to_server ? *t->server_ : *t->client_;
    const std::string bytes = from.take_ciphertext();
    split_records(bytes, to_server, t->handshake_);
    if (!to.feed(bytes)) {
      error = to.error();
      return nullptr;
    }
    to_server = !to_server;
  }
  // TLS 1.3 tickets and the like that follow the handshake.
  for (bool dir : {true, false}) {
    TlsConnection& from = dir ? *t->client_ : *t->server_;
    TlsConnection& to = dir ? *t->server_ : *t->client_;
    const std::string bytes = from.take_ciphertext();
    split_records(bytes, dir, t->handshake_);
    to.feed(bytes);
  }
  if (!t->client_->handshake_done() || !t->server_->handshake_done()) {
    error = "the TLS handshake did not finish";
    return nullptr;
  }
  return t;
}

WireTap::~WireTap() = default;

std::vector<WireTap::Record> WireTap::seal(std::string_view plain, bool to_server) {
  TlsConnection& from = to_server ? *client_ : *server_;
  TlsConnection& to = to_server ? *server_ : *client_;
  std::vector<Record> out;
  if (!from.write(plain)) return out;
  const std::string bytes = from.take_ciphertext();
  split_records(bytes, to_server, out);
  to.feed(bytes);  // the other end reads it, so both stay in step
  to.take_plaintext();
  return out;
}

}  // namespace postino::io
