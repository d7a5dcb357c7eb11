#include "gui/listen.hpp"

namespace postino::gui {
namespace {

// One real client's connection, as a device of the App's world.
class WorldEndpoint : public io::Endpoint {
 public:
  WorldEndpoint(App& app, const io::Listener& l)
      : app_(app), name_(app.external_connect(l.protocol, l.tls, l.port)) {}
  void receive(std::string_view bytes, Time) override { app_.external_send(name_, std::string(bytes)); }
  std::string take_output() override { return app_.external_output(name_); }
  Events take_events() override { return {app_.external_take_starttls(name_), false}; }
  void tls_established(Time) override { app_.external_tls_established(name_); }
  bool closed() const override { return !app_.external_open(name_); }
  void connection_lost(Time) override { app_.external_hang_up(name_); }

 private:
  App& app_;
  std::string name_;
};

}  // namespace

Listen::Listen(App& app, io::ServeConfig config) : made_(std::make_shared<int>(0)) {
  io::EndpointFactory factory = [&app, made = made_](const io::Listener& l, const std::string&, Time) {
    ++*made;
    return std::make_unique<WorldEndpoint>(app, l);
  };
  server_ = std::make_unique<io::TcpServer>(std::move(factory), std::move(config));
}

Listen::~Listen() = default;

bool Listen::start(std::string& error) { return server_->start(error); }

void Listen::poll() { server_->poll_once(0); }

int Listen::open() const { return static_cast<int>(server_->connections()); }

void Listen::drop_all() { server_->close_all(); }

std::string Listen::summary() const {
  std::string s;
  for (const io::Listener& l : server_->listeners()) s += (s.empty() ? "" : ", ") + l.name + " " + std::to_string(l.port);
  return s;
}

}  // namespace postino::gui
