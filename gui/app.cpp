#include "gui/app.hpp"

#include <fstream>
#include <sstream>

#include "sim/world/transcript.hpp"

namespace postino::gui {
namespace {

// What a newcomer sees first: one account, a phone on IMAP, a laptop on POP3, mail arriving.
constexpr const char* kWelcome = R"(title "POP3 or IMAP? Watch the mail"
server tuodominio.it quota 20MB
account info@tuodominio.it password "segreta"
device phone  phone  client apple-mail  imap 993 idle on
device laptop laptop client thunderbird pop3 995
phone get-mail
at 09:00 deliver to info@tuodominio.it from "cliente@example.com" subject "Ordine 42"
say "The phone (IMAP) sees the new mail at once: the server pushes it during IDLE."
laptop get-mail
say "The laptop (POP3) downloads it with RETR and deletes it with DELE: the phone loses it too."
at 09:05 deliver to info@tuodominio.it from "fornitore@example.com" subject "Listino 2027"
phone open "Listino 2027"
say "With IMAP, reading on the phone marks it read on the server: \Seen."
)";

// The same, told in Italian (the source document's language).
constexpr const char* kWelcomeIt = R"(title "POP3 o IMAP? Guarda la posta"
server tuodominio.it quota 20MB
account info@tuodominio.it password "segreta"
device telefono phone  client apple-mail  imap 993 idle on
device portatile laptop client thunderbird pop3 995
telefono get-mail
at 09:00 deliver to info@tuodominio.it from "cliente@example.com" subject "Ordine 42"
say "Il telefono (IMAP) vede subito la nuova posta: il server la annuncia durante IDLE."
portatile get-mail
say "Il portatile (POP3) la scarica con RETR e la cancella con DELE: sparisce anche dal telefono."
at 09:05 deliver to info@tuodominio.it from "fornitore@example.com" subject "Listino 2027"
telefono open "Listino 2027"
say "Con IMAP, leggere sul telefono la segna come letta sul server: \Seen."
)";

}  // namespace

bool App::load(const std::string& file, std::string& error, bool italian) {
  std::string text = italian ? kWelcomeIt : kWelcome;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      error = "cannot read " + file;
      return false;
    }
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  script::Parsed parsed = script::parse(text);
  if (!parsed.ok()) {
    for (const auto& d : parsed.errors) error += script::format_diagnostic(file.empty() ? "welcome" : file, d);
    return false;
  }
  scenario_ = std::move(parsed.scenario);
  ++run_id_;
  at_.reset();
  cursor_ = 0;
  user_steps_ = 0;
  external_seen_ = 0;
  external_out_.clear();
  external_open_.clear();
  external_starttls_.clear();
  external_tls_asked_.clear();
  playing_ = false;
  move_to(0);
  return true;
}

void App::load_variant(const App& base, world::Protocol protocol) {
  scenario_ = base.scenario_;
  const bool pop = protocol == world::Protocol::Pop3;
  scenario_.title = pop ? "POP3" : "IMAP";
  for (auto& d : scenario_.devices) {
    d.protocol = protocol;
    d.port = pop ? 995 : 993;
    d.security = world::Security::Tls;
    d.leave_on_server = false;
    d.keep_days = 0;
    d.delete_when_deleted_here = false;
  }
  // The story's narration and checks were written for the mix it had: leave them out.
  std::erase_if(scenario_.steps, [](const script::Step& s) {
    return std::holds_alternative<script::Expectation>(s.what) || std::holds_alternative<script::Say>(s.what);
  });
  ++run_id_;
  at_.reset();
  playing_ = false;
  move_to(0);
}

void App::move_to(std::size_t index) {
  // Runs are deterministic: forward, the player runs on one event at a time until the line
  // exists; backward, it replays from the start up to the event that produced the line.
  if (!at_) {
    at_ = std::make_unique<script::Player>(scenario_);
    ++trace_epoch_;
  }
  if (index < trace().size()) {
    const std::size_t event = trace()[index].event;
    if (at_->world().events_run() > event) {
      at_->rewind_to(event);  // from the nearest checkpoint
      ++trace_epoch_;         // its lines past there were made anew
    }
  }
  while (trace().size() <= index && !at_->finished()) at_->run_until(at_->world().events_run() + 1);
  cursor_ = trace().empty() ? 0 : std::min(index, trace().size() - 1);
  phase_ = 0.0f;
}

void App::apply(const Intent& i) {
  using K = Intent::Kind;
  switch (i.kind) {
    case K::None: break;
    case K::Play:
      playing_ = true;
      if (finished() && cursor_ + 1 >= trace().size()) move_to(0);  // from the top again
      break;
    case K::Pause: playing_ = false; break;
    case K::StepForward: playing_ = false; move_to(cursor_ + 1); break;
    case K::StepBack: playing_ = false; move_to(cursor_ > 0 ? cursor_ - 1 : 0); phase_ = 1.0f; break;
    case K::First: playing_ = false; move_to(0); break;
    case K::Last:
      playing_ = false;
      at_->run_until();
      move_to(trace().empty() ? 0 : trace().size() - 1);
      phase_ = 1.0f;
      break;
    case K::Seek: move_to(i.index); break;  // the line travels again
    case K::Speed: speed_ = i.value; break;
    case K::Select: selected_ = i.index; break;
    case K::Export: break;  // files are the window's business
    case K::Act: {
      script::Step step = i.step;
      step.line = 0;
      play_step(std::move(step));
      break;
    }
  }
}

// What the user does (or a real client) is appended to the scenario, after everything it
// already holds; the run is replayed (deterministic) and the new lines play from where they start.
void App::play_step(script::Step step) {
  if (!at_) move_to(0);
  at_->run_until();  // the story so far first: the new step comes after all of it
  const std::size_t first_new = trace().size();
  scenario_.steps.push_back(std::move(step));  // the player reads the steps as it goes
  ++user_steps_;
  at_->run_until();
  // What the server said to real clients (at once: the world settles within the step), read
  // off the trace. Lines before external_seen_ were read already; a replay makes the very same.
  const auto& t = trace();
  for (std::size_t i = std::max(external_seen_, first_new); i < t.size(); ++i)
    if (t[i].kind == world::TraceEntry::Kind::Wire && !t[i].to_server && external_open_.contains(t[i].device))
      external_out_[t[i].device] += t[i].text.str();
  external_seen_ = std::max(external_seen_, t.size());
  for (auto& [name, open] : external_open_) {
    const world::Device* d = at_->world().device(name);
    open = d && d->connected();
    if (d && d->server_awaiting_tls() && !external_tls_asked_[name]) external_starttls_[name] = external_tls_asked_[name] = true;
    if (!d || !d->server_awaiting_tls()) external_tls_asked_[name] = false;
  }
  move_to(first_new);
  playing_ = true;
}

std::string App::external_connect(world::Protocol protocol, bool tls, int port) {
  // A device that hung up is reused: a client that reconnects stays one node on screen.
  std::string name;
  for (const auto& [n, open] : external_open_) {
    const world::Device* d = at_ ? at_->world().device(n) : nullptr;
    if (!open && d && d->config().protocol == protocol && (d->config().security == world::Security::Tls) == tls) {
      name = n;
      break;
    }
  }
  if (name.empty()) name = "client" + std::to_string(external_open_.size() + 1);
  external_open_[name] = true;
  external_out_[name].clear();
  world::DeviceConfig c;
  c.name = name;
  c.kind = world::DeviceKind::Desktop;
  c.client = "your mail client";
  c.protocol = protocol;
  c.port = port;
  // Plain ports offer STARTTLS/STLS, as on `postino serve`.
  c.security = tls ? world::Security::Tls : world::Security::StartTls;
  c.external = true;
  play_step({.what = script::ExternalConnect{std::move(c)}});
  return name;
}

void App::play_external(const std::string& device, script::Action what) {
  if (!external_open(device)) return;
  play_step({.what = std::move(what)});
}

void App::external_send(const std::string& device, std::string bytes) {
  play_external(device, script::ExternalSend{device, std::move(bytes)});
}

void App::external_hang_up(const std::string& device) { play_external(device, script::ExternalClose{device}); }

bool App::external_take_starttls(const std::string& device) { return std::exchange(external_starttls_[device], false); }

void App::external_tls_established(const std::string& device) { play_external(device, script::ExternalTlsDone{device}); }

std::string App::external_output(const std::string& device) {
  auto it = external_out_.find(device);
  return it == external_out_.end() ? std::string() : std::exchange(it->second, {});
}

bool App::external_open(const std::string& device) const {
  auto it = external_open_.find(device);
  return it != external_open_.end() && it->second;
}

std::optional<std::size_t> App::failed_check() const {
  const auto& t = trace();
  for (std::size_t i = std::min(cursor_ + 1, t.size()); i-- > 0;) {
    if (t[i].is_event(world::EventKind::Say)) break;
    if (t[i].is_event(world::EventKind::Check) && !t[i].what->ok) return i;
  }
  return std::nullopt;
}

std::string App::transcript(bool markdown, Lang lang) const {
  std::vector<world::TraceEntry> upto(trace().begin(),
                                      trace().begin() + static_cast<std::ptrdiff_t>(std::min(cursor_ + 1, trace().size())));
  return world::transcript(upto, markdown ? world::TranscriptFormat::Markdown : world::TranscriptFormat::Text,
                           false, scenario_.title, lang);
}

bool App::tick(double seconds) {
  bool moved = false;
  if (phase_ < 1.0f) {
    phase_ = std::min(1.0f, phase_ + static_cast<float>(seconds * speed_ / 0.6));
    moved = true;
  }
  if (!playing_) return moved;
  wait_ += seconds * speed_;
  if (phase_ >= 1.0f && wait_ >= 0.15) {
    wait_ = 0;
    if (cursor_ + 1 >= trace().size() && finished()) playing_ = false;
    else move_to(cursor_ + 1);
    moved = true;
  }
  return moved;
}

}  // namespace postino::gui
