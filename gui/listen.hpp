#pragma once
// `postino open FILE --listen`: real mail clients connect to the world the window shows. Each
// connection is a device on screen; what it sends becomes steps of the scenario (App::external_*)
// and the server's answers go back to its socket.
#include <memory>
#include <string>

#include "gui/app.hpp"
#include "io/tcp_server.hpp"

namespace postino::gui {

class Listen {
 public:
  // `config`: the address and ports, as for `postino serve` (-1 turns a port off).
  Listen(App& app, io::ServeConfig config);
  ~Listen();
  // Binds the ports; false with `error` set when one cannot be bound.
  bool start(std::string& error);
  // Serves what is ready on the sockets without waiting; call once a frame.
  void poll();
  // "IMAP 1143, IMAPS 1993..." for the window to show.
  std::string summary() const;
  // Connections made so far, and open now.
  int connections() const { return *made_; }
  int open() const;
  // The app loaded another scenario: its devices are gone, and so are the connections.
  void drop_all();

 private:
  std::shared_ptr<int> made_;
  std::unique_ptr<io::TcpServer> server_;
};

}  // namespace postino::gui
