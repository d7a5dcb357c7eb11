// The browser build's TcpServer: a page cannot listen on a port, so `serve` and `open --listen`
// say plainly that they are desktop features (tcp_server.cpp is the real one).
#include "io/tcp_server.hpp"

namespace postino::io {

struct TcpServer::Impl {};

TcpServer::TcpServer(mail::Store&, ServeConfig) {}
TcpServer::TcpServer(EndpointFactory, ServeConfig) {}
TcpServer::~TcpServer() = default;

bool TcpServer::start(std::string& error) {
  error = "real mail clients connect to the desktop program only (postino serve, postino open --listen): "
          "a web page cannot listen on a port";
  return false;
}

int TcpServer::run(const std::atomic<bool>&) { return 1; }
bool TcpServer::poll_once(int) { return false; }
void TcpServer::close_all() {}
std::size_t TcpServer::connections() const { return 0; }

}  // namespace postino::io
