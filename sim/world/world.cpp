#include "sim/world/world.hpp"

#include <algorithm>
#include <cassert>
#include <string_view>
#include <utility>

#include "sim/core/text.hpp"
#include "sim/protocols/protocols.hpp"
#include "sim/smtp/client.hpp"
#include "sim/world/persona.hpp"

namespace postino::world {

const char* to_string(Protocol p) { return p == Protocol::Pop3 ? "pop3" : "imap"; }

const char* to_string(Security s) {
  switch (s) {
    case Security::Plain: return "plain";
    case Security::StartTls: return "starttls";
    case Security::Tls: return "tls";
  }
  return "?";
}

const char* to_string(DeviceKind k) {
  switch (k) {
    case DeviceKind::Phone: return "phone";
    case DeviceKind::Tablet: return "tablet";
    case DeviceKind::Laptop: return "laptop";
    case DeviceKind::Desktop: return "desktop";
  }
  return "?";
}

Time latency_of(DeviceKind k) {
  switch (k) {
    case DeviceKind::Phone: return 80;   // mobile data
    case DeviceKind::Tablet: return 30;  // Wi-Fi at home
    case DeviceKind::Laptop: return 10;  // office LAN
    case DeviceKind::Desktop: return 5;
  }
  return 10;
}

namespace {
// The first line of `bytes` that starts with `start` (case aside; `tagged`: IMAP's, after its
// tag too), without its line end.
std::optional<std::string> line_starting(std::string_view bytes, std::string_view start, bool tagged) {
  while (!bytes.empty()) {
    const std::size_t lf = bytes.find('\n');
    std::string_view line = bytes.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t sp = line.find(' ');
    auto starts = [&](std::string_view l) { return l.size() >= start.size() && iequals(l.substr(0, start.size()), start); };
    if (starts(line) || (tagged && sp != std::string_view::npos && starts(line.substr(sp + 1)))) return std::string(line);
    if (lf == std::string_view::npos) break;
    bytes.remove_prefix(lf + 1);
  }
  return std::nullopt;
}

// A POP3 device's message is in `folder` (INBOX in any case, as IMAP names it).
bool in_folder(const PopMessage& m, const std::string& folder) {
  return !m.deleted && (iequals(folder, "INBOX") ? iequals(m.folder, "INBOX") : m.folder == folder);
}
}  // namespace

std::size_t Device::count(const std::string& folder) const {
  if (!app_) return 0;  // an external client: its mail is not ours to see
  const imap::Client* imap = imap_client();
  if (!imap)
    return static_cast<std::size_t>(std::count_if(pop_inbox_.begin(), pop_inbox_.end(),
                                                  [&](const PopMessage& m) { return in_folder(m, folder); }));
  auto it = imap->folders().find(iequals(folder, "INBOX") ? "INBOX" : folder);
  return it == imap->folders().end() ? 0 : it->second.messages.size();
}

std::vector<std::string> Device::subjects(const std::string& folder) const {
  std::vector<std::string> out;
  if (!app_) return out;
  const imap::Client* imap = imap_client();
  if (!imap) {
    for (const PopMessage& m : pop_inbox_)
      if (in_folder(m, folder)) out.push_back(m.message->summary().subject);
    return out;
  }
  auto it = imap->folders().find(iequals(folder, "INBOX") ? "INBOX" : folder);
  if (it != imap->folders().end())
    for (const auto& [uid, m] : it->second.messages)
      out.push_back(m.message ? m.message->summary().subject : std::string());
  return out;
}

World::World(mail::Store store, Time start) : store_(std::move(store)) {
  timeline_.now = start;
  provider_.seen_changes = store_.last_change();
}

Device::Device(const Device& o, mail::Store& store)
    : config_(o.config_),
      app_(o.app_ ? o.app_->copy() : nullptr),
      leaving_(o.leaving_ ? o.leaving_->copy() : nullptr),
      server_(o.server_ ? o.server_->copy_onto(store) : nullptr),  // sessions work on a store
      link_(o.link_),
      pop_inbox_(o.pop_inbox_),
      local_folders_(o.local_folders_),
      errors_(o.errors_),
      crashed_(o.crashed_),
      cut_after_(o.cut_after_),
      sender_(o.sender_ ? std::unique_ptr<Device>(new Device(*o.sender_, store)) : nullptr) {}

World::World(const World& o) : World(mail::Store(o.store_.domain()), o.now()) {
  copy_state_from(o);
  trace_ = o.trace_;
  snapshot_trace_size_ = o.snapshot_trace_size_;
}

void World::copy_state_from(const World& o) {
  store_ = o.store_;
  timeline_ = o.timeline_;
  provider_ = o.provider_;
  devices_.clear();
  for (const auto& d : o.devices_) devices_.push_back(std::unique_ptr<Device>(new Device(*d, store_)));
}

std::unique_ptr<World> World::snapshot() const {
  auto w = std::make_unique<World>(mail::Store(store_.domain()), timeline_.now);
  w->copy_state_from(*this);
  w->snapshot_trace_size_ = trace_.size();
  return w;
}

void World::rewind_to(const World& snap) {
  copy_state_from(snap);
  trace_.resize(std::min(trace_.size(), snap.snapshot_trace_size_));
}

Device& World::add_device(DeviceConfig config, bool announce) {
  std::unique_ptr<Device> d(new Device());  // only the world makes devices
  d->config_ = std::move(config);
  make_engine(*d);
  devices_.push_back(std::move(d));
  const std::size_t k = devices_.size() - 1;
  const DeviceConfig& c = devices_.back()->config_;
  if (c.poll_every > 0) schedule({Queued::Kind::Poll, timeline_.now + c.poll_every, 0, k, {}});
  if (announce)
    add_event({.kind = EventKind::DeviceAdded, .device = c.name, .text = c.client, .protocol = c.protocol, .port = c.port,
               .security = c.security});
  return *devices_.back();
}

void World::make_engine(Device& d) {
  const DeviceConfig& c = d.config_;
  d.app_.reset();
  if (c.external) return;  // no engine: the client is real and lives outside
  if (c.protocol == Protocol::Pop3) {
    pop3::ClientConfig pc;
    pc.user = c.account;
    pc.password = c.password;
    pc.use_stls = c.security == Security::StartTls;
    pc.leave_on_server = c.leave_on_server || c.keep_days > 0;
    pc.keep_days = c.keep_days;
    pc.delete_when_deleted_locally = c.delete_when_deleted_here;
    d.app_ = std::make_unique<pop3::Client>(pc);
  } else {
    imap::ClientConfig ic;
    ic.user = c.account;
    ic.password = c.password;
    ic.use_starttls = c.security == Security::StartTls;
    ic.use_idle = c.idle;
    ic.keep_offline = c.offline;
    if (const auto app = persona(c.client)) {  // who the app says it is (RFC 2971), and when
      ic.id = app->id;
      ic.id_before_login = app->id_before_login;
    }
    ic.delete_mode = c.delete_mode;
    d.app_ = std::make_unique<imap::Client>(ic);
  }
}

Device* World::device(const std::string& name) {
  for (auto& d : devices_)
    if (d->config_.name == name) return d.get();
  return nullptr;
}

const Device* World::device(const std::string& name) const {
  return const_cast<World*>(this)->device(name);
}

std::size_t World::index_of(const Device& d) const {
  for (std::size_t k = 0; k < devices_.size(); ++k)
    if (devices_[k].get() == &d) return k;
  return 0;
}

void World::schedule(Queued e) {
  assert(e.at >= timeline_.now);  // nothing happens in the past: replays depend on it
  e.seq = ++timeline_.seq;
  if (!is_timer(e)) ++timeline_.in_flight;
  timeline_.queue.push(std::move(e));
}

void World::add_event(Event e) {
  TraceEntry t;
  t.kind = TraceEntry::Kind::Event;
  t.sent = t.arrived = timeline_.now;
  // The story's lines belong to no device, whatever a device is called (a Check names the
  // device it looked at, but is the scenario's line).
  t.device = source_of(e.kind) == Source::Device ? e.device : std::string();
  assert(source_of(e.kind) != Source::Device || !t.device.empty());  // a device's event names it
  t.what = std::make_shared<const Event>(std::move(e));
  t.event = timeline_.events_run;
  trace_.push_back(std::move(t));
}

void World::add_event(const Device& d, EventKind kind) {
  Event e;
  e.kind = kind;
  e.device = d.config_.name;
  add_event(std::move(e));
}

void World::note(Event e) {
  assert(source_of(e.kind) != Source::Device && source_of(e.kind) != Source::Server);
  add_event(std::move(e));
}

void World::connect(std::size_t k) {
  Device& d = at(k);
  const DeviceConfig& c = d.config_;
  d.link_.connected = true;
  d.link_.closing = false;
  d.link_.tls = c.security == Security::Tls;
  d.link_.session_id = ++timeline_.session_ids;
  d.link_.cut_pending = false;  // a cut meant for a connection that ended otherwise
  d.link_.cut_line.clear();
  add_event({.kind = EventKind::Connected, .device = c.name, .protocol = c.protocol, .port = c.port,
             .security = c.security});
  if (d.app_) d.app_->connect(timeline_.now, d.link_.tls);
  if (d.link_.tls) {
    // The TLS handshake takes two round trips before the first byte of the protocol: the
    // server finishes its side after three trips and greets then (a real client's socket, for
    // an external device, did its handshake before the world heard of it).
    const Time lat = latency_of(c.kind);
    d.link_.last_arrival = timeline_.now + 4 * lat;
    add_event(d, EventKind::TlsAtConnect);
    if (d.app_) {
      schedule({Queued::Kind::Accept, timeline_.now + 3 * lat, 0, k, {}, d.link_.session_id});
      return;
    }
  }
  accept(k);
}

void World::accept(std::size_t k) {
  Device& d = at(k);
  const DeviceConfig& c = d.config_;
  // Every plain-port connection is offered STARTTLS/STLS: the server cannot know how the app
  // is set up; the app decides whether to use it.
  d.server_ = session::make_server(c.protocol, store_,
                                   {.session_id = d.link_.session_id,
                                    .tls_available = c.security != Security::Tls,
                                    .tls_active = d.link_.tls,
                                    .plaintext_auth = provider_.plaintext_auth},
                                   timeline_.now);
  pump(k);
}

void World::arm_timer(std::size_t k) {
  Device& d = at(k);
  if (!d.link_.connected || d.link_.closing) return;
  Time when = session::kNoDeadline;
  if (d.server_) when = std::min(when, d.server_->deadline());
  if (session::Client* app = d.on_link()) when = std::min(when, app->deadline());
  if (when == session::kNoDeadline) return;
  when = std::max(when, timeline_.now);
  if (d.link_.timer_at != 0 && d.link_.timer_at <= when) return;  // one comes soon enough
  d.link_.timer_at = when;
  schedule({Queued::Kind::Timer, when, 0, k, {}});
}

void World::pump(std::size_t k) {
  Device& d = at(k);
  if (!(k & kSender) && d.sender_) pump(k | kSender);  // its SMTP connection too
  if (!d.link_.connected) return;
  const Time lat = latency_of(d.config_.kind);
  std::vector<SharedRun> runs;
  auto send = [&](std::string bytes, bool to_server) {
    if (bytes.empty()) return;
    // The answer to the line to cut after: the network drops the link once it has arrived.
    const bool then_cut = !to_server && std::exchange(d.link_.cut_pending, false);
    const Time arrive = std::max(timeline_.now + lat, d.link_.last_arrival);
    d.link_.last_arrival = arrive;
    TraceEntry t;
    t.kind = TraceEntry::Kind::Wire;
    t.sent = timeline_.now;
    t.arrived = arrive;
    t.device = d.config_.name;
    t.to_server = to_server;
    t.tls = d.link_.tls;
    t.text = SharedText::from_output(bytes, runs);
    runs.clear();
    t.event = timeline_.events_run;
    trace_.push_back(std::move(t));
    schedule({to_server ? Queued::Kind::ToServer : Queued::Kind::ToDevice, arrive, 0, k,
              std::move(bytes), 0, then_cut});
  };
  if (d.server_) send(d.server_->take_output(&runs), false);
  send(d.on_link() ? d.on_link()->take_output() : std::exchange(d.link_.external_out, {}), true);
  const bool server_closed = d.server_ && d.server_->closed();
  if (server_closed && !d.link_.closing) {
    d.link_.closing = true;
    schedule({Queued::Kind::Close, std::max(timeline_.now, d.link_.last_arrival), 0, k, {}});
  }
  arm_timer(k);
}

void World::client_events(std::size_t k) {
  Device& d = at(k);
  if (d.external()) return;
  using K = session::ClientNews::Kind;
  std::vector<session::ClientNews> news = d.leaving_ ? d.leaving_->take_news() : std::vector<session::ClientNews>{};
  for (auto& n : d.app_->take_news()) news.push_back(std::move(n));
  for (auto& n : news) {
    switch (n.kind) {
      case K::Downloaded:
        add_event({.kind = EventKind::Downloaded, .device = d.config_.name, .subject = n.message->summary().subject});
        d.pop_inbox_.push_back({n.uidl, shared_copy(d.config_.account, n.uidl, n.message)});
        break;
      case K::DeletedOnServer: {
        // Named by its subject, as people know it (the device downloaded it, unless it was gone).
        const auto it = std::find_if(d.pop_inbox_.begin(), d.pop_inbox_.end(), [&](const PopMessage& m) { return m.uidl == n.uidl; });
        add_event({.kind = EventKind::DeletedAtQuit, .device = d.config_.name,
                   .subject = it != d.pop_inbox_.end() ? it->message->summary().subject : std::string(), .text = n.uidl});
        break;
      }
      case K::StartTls: schedule({Queued::Kind::TlsDone, timeline_.now + 2 * latency_of(d.config_.kind), 0, k, {}}); break;
      case K::Error: client_error(at(k & ~kSender), n.problem, std::move(n.command), std::move(n.text)); break;
      case K::Sent: sent(at(k & ~kSender), n); break;
      case K::Gone:
        add_event({.kind = EventKind::GoneFromView, .device = d.config_.name, .folder = std::move(n.folder), .subject = std::move(n.text)});
        break;
    }
  }
}

void World::client_error(Device& d, ClientProblem problem, std::string command, std::string reply) {
  Event e{.kind = EventKind::ClientError, .device = d.config_.name, .text = std::move(reply),
          .command = std::move(command), .protocol = d.config_.protocol, .problem = problem};
  d.errors_.push_back(e);
  add_event(std::move(e));
}

// The same octets as the server's copy share its memory: message bytes are immutable.
mail::MessagePtr World::shared_copy(const std::string& account, const std::string& uidl,
                                    mail::MessagePtr downloaded) const {
  const mail::Account* a = store_.find_account(account);
  if (!a || uidl.size() != 16) return downloaded;
  const auto uid = static_cast<mail::Uid>(std::stoul(uidl.substr(0, 8), nullptr, 16));
  const mail::Entry* e = a->inbox().find(uid);
  if (e && e->message->text() == downloaded->text()) return e->message;
  return downloaded;
}

void World::server_events(std::size_t k) {
  Device& d = at(k);
  if (!d.server_) return;
  for (auto& n : d.server_->take_news())
    if (n.kind == session::ServerNews::Kind::AuthFailed) add_event({.kind = EventKind::LoginFailed, .account = n.detail});
    else if (n.kind == session::ServerNews::Kind::SentOut)
      add_event({.kind = EventKind::SentOut, .account = n.detail, .actor = "smtp #" + std::to_string(d.link_.session_id)});
}

void World::store_news() {
  if (provider_.seen_changes == store_.last_change()) return;
  for (const mail::Change& c : store_.changes_since(provider_.seen_changes)) {
    Event e{.account = c.account, .folder = c.folder, .actor = c.actor, .uid = c.uid, .flags = c.flags};
    using K = mail::Change::Kind;
    switch (c.kind) {
      case K::Delivered: e.kind = EventKind::Delivered; break;
      case K::Bounced: e.kind = EventKind::Bounced; e.text = c.detail; break;
      case K::Appended: e.kind = EventKind::Stored; break;
      case K::FlagsChanged: e.kind = EventKind::FlagsChanged; break;
      case K::Expunged: e.kind = EventKind::Expunged; e.subject = c.detail; break;
      case K::FolderCreated: e.kind = EventKind::FolderCreated; break;
      case K::FolderDeleted: e.kind = EventKind::FolderDeleted; break;
      case K::FolderRenamed: e.kind = EventKind::FolderRenamed; e.to_folder = c.detail; break;
    }
    add_event(std::move(e));
  }
  provider_.seen_changes = store_.last_change();
  std::uint64_t used = 0;
  for (const auto& [key, a] : store_.accounts()) used += a.used();
  if (provider_.disk_use.empty() || provider_.disk_use.back().second != used) provider_.disk_use.emplace_back(timeline_.now, used);
  for (auto& d : devices_)
    if (d->server_) d->server_->store_changed(timeline_.now);
}

void World::run(const Queued& e) {
  if (e.kind == Queued::Kind::Backup) {
    backup(true);
    schedule({Queued::Kind::Backup, timeline_.now + kDay, 0, 0, {}});
    store_news();
    return;
  }
  Device& d = at(e.device);
  switch (e.kind) {
    case Queued::Kind::ToServer:
      if (d.server_ && !d.cut_after_.empty()) {
        if (auto line = line_starting(e.bytes, d.cut_after_, d.config_.protocol == Protocol::Imap)) {
          d.link_.cut_line = std::move(*line);
          d.link_.cut_pending = true;
          d.cut_after_.clear();
        }
      }
      if (d.server_) d.server_->receive(e.bytes, timeline_.now);
      server_events(e.device);
      break;
    case Queued::Kind::ToDevice:
      if (!d.link_.connected) break;
      if (session::Client* app = d.on_link()) app->receive(e.bytes, timeline_.now);
      client_events(e.device);
      if (e.then_cut) cut(e.device);
      break;
    case Queued::Kind::TlsDone:
      if (d.link_.connected) tls_done(d);
      break;
    case Queued::Kind::Close:
      if (!d.link_.connected) break;
      d.link_.connected = false;
      d.link_.closing = false;
      d.link_.tls = false;
      d.link_.timer_at = 0;
      if (session::Client* app = d.on_link()) app->connection_lost(timeline_.now);
      client_events(e.device);
      d.leaving_.reset();
      d.server_.reset();
      if (e.device & kSender) add_event({.kind = EventKind::Disconnected, .device = d.config_.name, .protocol = Protocol::Smtp});
      else add_event(d, d.link_.hanging_up ? EventKind::DisconnectedForSettings : EventKind::Disconnected);
      d.link_.hanging_up = false;
      if (std::exchange(d.link_.reconnect, false)) connect(e.device);
      break;
    case Queued::Kind::Poll:
      if (e.generation != d.link_.poll_generation || d.config_.poll_every <= 0) break;  // an old schedule
      if (!d.crashed_) get_mail(d);  // a broken device's timer waits for its replacement
      schedule({Queued::Kind::Poll, timeline_.now + d.config_.poll_every, 0, e.device, {}, d.link_.poll_generation});
      break;
    case Queued::Kind::Accept:
      if (d.link_.connected && !d.server_ && e.generation == d.link_.session_id) accept(e.device);
      break;
    case Queued::Kind::Timer:
      if (e.at != d.link_.timer_at || !d.link_.connected) break;  // replaced by a sooner one, or over
      d.link_.timer_at = 0;
      if (d.server_) d.server_->tick(timeline_.now);  // autologout (RFC 3501 5.4, RFC 1939 3)
      server_events(e.device);
      if (session::Client* app = d.on_link()) app->tick(timeline_.now);  // IDLE renewal (RFC 2177)
      client_events(e.device);
      break;
    case Queued::Kind::Backup:
      break;  // handled above: it belongs to no device
  }
  store_news();
  for (std::size_t k = 0; k < devices_.size(); ++k) pump(k);
}

bool World::step(Time limit) {
  if (exhausted() || timeline_.queue.empty() || timeline_.queue.top().at > limit) return false;
  Queued e = timeline_.queue.top();
  timeline_.queue.pop();
  if (!is_timer(e)) {
    assert(timeline_.in_flight > 0);
    --timeline_.in_flight;
  }
  timeline_.now = std::max(timeline_.now, e.at);
  ++timeline_.events_run;
  run(e);
  return true;
}

bool World::advance_to(Time t) {
  while (step(t)) {
  }
  if (!timeline_.queue.empty() && timeline_.queue.top().at <= t) return false;  // stopped by the event limit
  timeline_.now = std::max(timeline_.now, t);
  return true;
}

bool World::busy() const {
  for (const auto& d : devices_) {
    if ((d->app_ && d->app_->busy()) || (d->leaving_ && d->leaving_->busy())) return true;
    if (d->sender_ && d->sender_->app_->busy()) return true;
  }
  return false;
}

// In-flight bytes and handshakes are what "settled" waits for; timers are not.
bool World::settle() {
  while (in_flight() || busy()) {
    if (!step(timeline_.queue.empty() ? timeline_.now : timeline_.queue.top().at)) return !exhausted();
  }
  return true;
}

// --- what people do ------------------------------------------------------------------------

bool World::broken(Device& d) {
  if (!d.crashed_) return false;
  add_event(d, EventKind::Broken);
  return true;
}

void World::get_mail(Device& d) {
  if (d.external() || broken(d)) return;  // a real client checks mail when its user says so
  const std::size_t k = index_of(d);
  if (!d.link_.connected) connect(k);
  else if (d.link_.hanging_up) d.link_.reconnect = true;  // the new way, once the old one closed
  else d.app_->poll();
  pump(k);
}

template <typename Action>
void World::with_imap(Device& d, Action action) {
  imap::Client* app = d.imap();
  if (!app || broken(d)) return;  // POP3 has no folders or flags on the server (S13)
  const std::size_t k = index_of(d);
  if (!d.link_.connected) connect(k);
  else if (d.link_.hanging_up) d.link_.reconnect = true;  // queued in the app until then
  action(*app);
  pump(k);
}

void World::view_folder(Device& d, const std::string& folder) {
  with_imap(d, [&](imap::Client& c) { c.view(folder); });
}

void World::open(Device& d, const std::string& folder, mail::Uid id) {
  if (d.pop()) {
    if (broken(d)) return;
    if (id >= 1 && id <= d.pop_inbox_.size()) d.pop_inbox_[id - 1].seen = true;
    return;
  }
  with_imap(d, [&](imap::Client& c) { c.open(folder, id); });
}

void World::remove(Device& d, const std::string& folder, mail::Uid id) {
  if (d.external()) return;
  if (pop3::Client* pop = d.pop()) {
    if (broken(d)) return;
    if (id < 1 || id > d.pop_inbox_.size()) return;
    PopMessage& m = d.pop_inbox_[id - 1];
    m.deleted = true;
    pop->deleted_locally(m.uidl);
    add_event({.kind = EventKind::DeletedOnDevice, .device = d.config_.name, .folder = m.folder,
               .subject = m.message->summary().subject, .server_told = d.config_.delete_when_deleted_here});
    return;
  }
  with_imap(d, [&](imap::Client& c) {
    if (c.remove(folder, id)) add_event({.kind = EventKind::TrashRecreated, .device = d.config_.name, .folder = "Trash"});
  });
}

void World::move(Device& d, const std::string& folder, mail::Uid uid, const std::string& to) {
  if (d.external()) return;
  if (d.pop()) {  // between the device's own folders; the server is not involved (S13)
    if (broken(d)) return;
    const bool known = iequals(to, "INBOX") || std::find(d.local_folders_.begin(), d.local_folders_.end(), to) != d.local_folders_.end();
    if (!known || uid < 1 || uid > d.pop_inbox_.size() || d.pop_inbox_[uid - 1].deleted) return;
    PopMessage& m = d.pop_inbox_[uid - 1];
    std::string from = std::exchange(m.folder, iequals(to, "INBOX") ? "INBOX" : to);
    add_event({.kind = EventKind::MovedOnDevice, .device = d.config_.name, .folder = std::move(from), .to_folder = m.folder,
               .subject = m.message->summary().subject});
    return;
  }
  with_imap(d, [&](imap::Client& c) { c.move(folder, uid, to); });
}

void World::flag(Device& d, const std::string& folder, mail::Uid uid, bool on) {
  with_imap(d, [&](imap::Client& c) { c.set_flag(folder, uid, mail::kFlagged, on); });
}

void World::create_folder(Device& d, const std::string& name) {
  if (d.external()) return;
  if (d.pop()) {
    if (broken(d)) return;
    if (iequals(name, "INBOX") || std::find(d.local_folders_.begin(), d.local_folders_.end(), name) != d.local_folders_.end()) return;
    d.local_folders_.push_back(name);
    add_event({.kind = EventKind::LocalFolderCreated, .device = d.config_.name, .folder = name});
  }
  with_imap(d, [&](imap::Client& c) { c.create_folder(name); });
}

void World::rename_folder(Device& d, const std::string& from, const std::string& to) {
  with_imap(d, [&](imap::Client& c) { c.rename_folder(from, to); });
}

void World::delete_folder(Device& d, const std::string& name) {
  with_imap(d, [&](imap::Client& c) { c.delete_folder(name); });
}

namespace {

// POP3's "after downloading" as one value: -1 deleted at once, 0 kept, N kept for N days.
std::int64_t server_copy(const DeviceConfig& c) {
  return c.keep_days > 0 ? c.keep_days : c.leave_on_server ? 0 : -1;
}

}  // namespace

void World::change_settings(Device& d, const DeviceConfig& c) {
  if (d.external()) return;
  const DeviceConfig before = d.config_;
  const bool protocol = c.protocol != before.protocol;
  if (protocol || c.port != before.port || c.security != before.security) {
    if (d.link_.connected) {
      // The app says goodbye (LOGOUT, QUIT) and will connect the new way; with another
      // protocol the old app finishes that while the new one waits.
      if (!std::exchange(d.link_.hanging_up, true)) d.on_link()->hang_up();
      if (protocol && !d.leaving_) d.leaving_ = std::move(d.app_);
    }
    d.config_.protocol = c.protocol;
    d.config_.port = c.port;
    d.config_.security = c.security;
  }
  if (c.poll_every != before.poll_every) {
    d.config_.poll_every = c.poll_every;
    ++d.link_.poll_generation;
    if (c.poll_every > 0) schedule({Queued::Kind::Poll, timeline_.now + c.poll_every, 0, index_of(d), {}, d.link_.poll_generation});
  }
  d.config_.leave_on_server = c.leave_on_server;
  d.config_.keep_days = c.keep_days;
  d.config_.delete_when_deleted_here = c.delete_when_deleted_here;
  d.config_.idle = c.idle;
  d.config_.offline = c.offline;
  d.config_.delete_mode = c.delete_mode;
  d.config_.smtp_port = c.smtp_port;  // World::send reads it at the next send
  const bool new_password = c.password != before.password;
  d.config_.password = c.password;
  if (d.sender_) d.sender_->config_.password = c.password;  // its next submission logs in with it
  if (auto* smtp = d.sender_ ? dynamic_cast<smtp::Client*>(d.sender_->app_.get()) : nullptr) smtp->config().password = c.password;
  if (protocol) {
    // Another protocol is another account in the app: it starts with nothing but the mail it
    // had downloaded (POP3's, which stays on the device).
    make_engine(d);
    add_event({.kind = EventKind::ProtocolChanged, .device = d.config_.name, .protocol = c.protocol, .port = c.port});
  } else if (pop3::Client* pop = d.pop()) {
    auto& pc = pop->config();
    pc.leave_on_server = c.leave_on_server || c.keep_days > 0;
    pc.keep_days = c.keep_days;
    pc.delete_when_deleted_locally = c.delete_when_deleted_here;
    pc.use_stls = c.security == Security::StartTls;  // 110 with or without STLS, as newly chosen
    pc.password = c.password;
  } else if (imap::Client* imap = d.imap()) {
    imap->config().use_starttls = c.security == Security::StartTls;
    imap->config().use_idle = c.idle;
    imap->config().keep_offline = c.offline;
    imap->config().delete_mode = c.delete_mode;
    imap->config().use_starttls = c.security == Security::StartTls;
    imap->config().password = c.password;
  }
  // One event per setting that changed, naming it with its old and new value.
  auto changed = [&](Setting s, std::int64_t from, std::int64_t to) {
    if (from != to)
      add_event({.kind = EventKind::SettingChanged, .device = d.config_.name, .setting = s, .old_value = from, .new_value = to});
  };
  if (!protocol) {
    changed(Setting::Port, before.port, c.port);
    changed(Setting::Security, static_cast<std::int64_t>(before.security), static_cast<std::int64_t>(c.security));
  }
  if (c.protocol == Protocol::Pop3) {
    changed(Setting::ServerCopy, server_copy(before), server_copy(c));
    changed(Setting::DeleteWhenDeletedHere, before.delete_when_deleted_here, c.delete_when_deleted_here);
  } else {
    changed(Setting::Idle, before.idle, c.idle);
    changed(Setting::Offline, before.offline, c.offline);
    changed(Setting::DeleteMode, static_cast<std::int64_t>(before.delete_mode), static_cast<std::int64_t>(c.delete_mode));
  }
  changed(Setting::PollEvery, before.poll_every, c.poll_every);
  changed(Setting::SmtpPort, before.smtp_port, c.smtp_port);
  if (new_password) add_event({.kind = EventKind::SettingChanged, .device = d.config_.name, .setting = Setting::Password});
  if (d.link_.connected) pump(index_of(d));
}

void World::crash(Device& d) {
  if (d.external()) return;
  if (d.link_.connected) drop_server_side(d);
  d.leaving_.reset();
  d.pop_inbox_.clear();
  d.local_folders_.clear();
  d.errors_.clear();
  d.crashed_ = true;
  d.app_->connection_lost(timeline_.now);
  d.app_->take_news();  // the app is gone before it could tell anyone
  d.app_->forget_everything();
  if (Device* s = d.sender_.get()) {  // unsent mail is lost with the device
    if (s->link_.connected) drop_server_side(*s);
    s->app_->connection_lost(timeline_.now);
    s->app_->take_news();
    s->app_->forget_everything();
  }
  add_event(d, EventKind::Crashed);
  store_news();
}

void World::replace(Device& d) {
  if (d.external()) return;
  crash(d);
  trace_.pop_back();
  d.crashed_ = false;
  add_event(d, EventKind::Replaced);
}

mail::Delivery World::deliver(const std::string& to, const std::string& text) {
  auto result = store_.deliver(to, mail::make_message(text), timeline_.now);
  store_news();
  for (std::size_t k = 0; k < devices_.size(); ++k) pump(k);
  return result;
}

void World::drop_server_side(Device& d) {
  if (d.server_) d.server_->connection_lost(timeline_.now);
  d.server_.reset();
  d.link_.connected = d.link_.closing = d.link_.tls = d.link_.hanging_up = d.link_.reconnect = false;
  d.link_.timer_at = 0;
}

void World::cut_connection_after(Device& d, std::string line_start) {
  if (d.external() || line_start.empty()) return;
  d.cut_after_ = std::move(line_start);
}

void World::cut(std::size_t k) {
  Device& d = *devices_[k];
  if (!d.link_.connected) return;
  // What the POP3 session had marked with DELE stays: it never reaches UPDATE (RFC 1939 6).
  const std::size_t marked = d.marked_for_deletion().size();
  add_event({.kind = EventKind::ConnectionCut, .device = d.config_.name, .command = std::exchange(d.link_.cut_line, {}),
             .protocol = d.config_.protocol, .count = marked});
  drop_server_side(d);
  if (session::Client* app = d.on_link()) {
    app->connection_lost(timeline_.now);
    app->take_output();  // what it was about to send never leaves
  }
  client_events(k);  // the app tells its user
  d.leaving_.reset();
  store_news();
}

void World::tls_done(Device& d) {
  d.link_.tls = true;
  add_event(d, EventKind::TlsUpgraded);
  if (d.server_) d.server_->tls_established(timeline_.now);
  if (d.app_) d.app_->tls_established(timeline_.now);
}

void World::external_connect(Device& d) {
  if (!d.external() || d.link_.connected) return;
  connect(index_of(d));
}

void World::external_send(Device& d, std::string bytes) {
  if (!d.external() || !d.link_.connected) return;
  d.link_.external_out += bytes;
  pump(index_of(d));
}

void World::external_tls_established(Device& d) {
  if (!d.external() || !d.link_.connected || !d.server_awaiting_tls()) return;
  tls_done(d);
  pump(index_of(d));
}

void World::external_close(Device& d) {
  if (!d.external() || !d.link_.connected) return;
  // Whatever it had not finished stays unfinished: a dropped connection (POP3 deletes nothing).
  drop_server_side(d);
  add_event(d, EventKind::Disconnected);
  store_news();
}

void World::backup(bool nightly) {
  provider_.backups.push_back({timeline_.now, store_});
  std::size_t messages = 0;
  for (const auto& [a, acc] : store_.accounts())
    for (const auto& [n, f] : acc.folders()) messages += f.count();
  add_event({.kind = EventKind::BackupTaken, .count = messages, .nightly = nightly});
}

bool World::restore(const std::string& address, Time when) {
  const Backup* best = nullptr;
  for (const Backup& b : provider_.backups)
    if (b.taken <= when) best = &b;
  mail::Account* acc = store_.find_account(address);
  const mail::Account* old = best ? best->store.find_account(address) : nullptr;
  if (!acc || !old) {
    add_event({.kind = EventKind::RestoreImpossible, .account = address, .when = when});
    return false;
  }
  std::size_t restored = 0;
  for (const auto& [name, folder] : old->folders()) {
    mail::Folder* now_folder = acc->folder(name);
    if (!now_folder) now_folder = store_.create_folder(*acc, name, folder.special_use(), "restore");
    if (!now_folder) continue;  // the account is at its folder limit
    for (const mail::Entry& e : folder.messages()) {
      const bool present = std::any_of(now_folder->messages().begin(), now_folder->messages().end(),
                                       [&](const mail::Entry& x) { return x.message == e.message; });
      if (present) continue;
      // Back as new messages (new UIDs): IMAP clients must see them arrive, not reappear.
      if (store_.append(*acc, *now_folder, e.message, e.flags, e.internal_date, "restore")) ++restored;
    }
  }
  add_event({.kind = EventKind::Restored, .account = address, .count = restored, .when = best->taken});
  store_news();
  for (std::size_t k = 0; k < devices_.size(); ++k) pump(k);
  return true;
}

void World::schedule_backups(std::optional<Time> time_of_day) {
  provider_.backup_time = time_of_day;
  if (!time_of_day) return;
  const Time midnight = timeline_.now - ((timeline_.now % kDay) + kDay) % kDay;
  Time next = midnight + *time_of_day;
  if (next <= timeline_.now) next += kDay;
  schedule({Queued::Kind::Backup, next, 0, 0, {}});
}

// --- sending, the webmail, the provider ------------------------------------------------------

void World::send(Device& d, const std::string& to, const std::string& text) {
  if (d.external() || broken(d)) return;
  if (!d.sender_) d.sender_.reset(new Device());
  Device& s = *d.sender_;
  // The app's outgoing server: the same account and password, its own connection.
  s.config_ = d.config_;
  s.config_.protocol = Protocol::Smtp;
  s.config_.port = d.config_.smtp_port;
  s.config_.security = d.config_.smtp_port == 465 ? Security::Tls : Security::StartTls;
  s.config_.poll_every = 0;
  if (!s.app_) s.app_ = std::make_unique<smtp::Client>(smtp::ClientConfig{});
  auto& app = static_cast<smtp::Client&>(*s.app_);
  app.config().user = d.config_.account;
  app.config().password = d.config_.password;
  app.config().use_starttls = s.config_.security == Security::StartTls;
  app.config().hostname = d.config_.name;  // what EHLO says: the computer's name
  app.submit({d.config_.account, {to}, mail::make_message(text)});
  const std::size_t k = index_of(d) | kSender;
  if (!s.link_.connected) connect(k);
  else if (app.quitting()) s.link_.reconnect = true;  // after this goodbye, a new connection
  pump(k);
}

// What a mail app does with what it sent: IMAP stores it in the server's Sent (every device
// sees it), POP3 keeps it on this device (S13: no folders on the server).
void World::sent(Device& d, session::ClientNews& n) {
  add_event({.kind = EventKind::MailSent, .device = d.config_.name, .subject = n.message->summary().subject,
             .text = n.text, .items = n.recipients});
  if (imap::Client* app = d.imap()) {
    const std::string text(n.message->text());
    std::string sent_folder = "Sent";
    for (const auto& [name, f] : app->folders())
      if (f.use == mail::SpecialUse::Sent) sent_folder = name;
    with_imap(d, [&](imap::Client& c) { c.append(sent_folder, text); });
  } else if (d.pop()) {
    d.pop_inbox_.push_back({"", n.message, true, false, "Sent"});
    if (std::find(d.local_folders_.begin(), d.local_folders_.end(), "Sent") == d.local_folders_.end())
      d.local_folders_.push_back("Sent");
    add_event({.kind = EventKind::SentHereOnly, .device = d.config_.name, .subject = n.message->summary().subject});
  }
}

void World::empty_trash(Device& d) {
  imap::Client* app = d.imap();
  if (!app) return;
  std::string trash = "Trash";
  for (const auto& [name, f] : app->folders())
    if (f.use == mail::SpecialUse::Trash) trash = name;
  with_imap(d, [&](imap::Client& c) { c.empty_folder(trash); });
}

namespace {
mail::Folder* trash_of(mail::Account& a) {
  for (const auto& [name, f] : a.folders())
    if (f.special_use() == mail::SpecialUse::Trash) return a.folder(name);
  return nullptr;
}
}  // namespace

void World::after_webmail() {
  store_news();
  for (std::size_t k = 0; k < devices_.size(); ++k) pump(k);
}

bool World::webmail_read(const std::string& address, const std::string& folder, mail::Uid uid) {
  mail::Account* a = store_.find_account(address);
  mail::Folder* f = a ? a->folder(folder) : nullptr;
  const mail::Entry* e = f ? f->find(uid) : nullptr;
  if (!e) return false;
  store_.set_flags(*a, *f, uid, e->flags | mail::kSeen, "webmail");
  after_webmail();
  return true;
}

bool World::webmail_delete(const std::string& address, const std::string& folder, mail::Uid uid) {
  mail::Account* a = store_.find_account(address);
  mail::Folder* f = a ? a->folder(folder) : nullptr;
  if (!f || !f->find(uid)) return false;
  mail::Folder* trash = trash_of(*a);
  if (trash && trash != f) store_.move(*a, *f, uid, *trash, "webmail");
  else store_.expunge(*a, *f, uid, "webmail");  // in the Trash (or without one): gone for good
  after_webmail();
  return true;
}

bool World::webmail_move(const std::string& address, const std::string& folder, mail::Uid uid, const std::string& to) {
  mail::Account* a = store_.find_account(address);
  mail::Folder* f = a ? a->folder(folder) : nullptr;
  mail::Folder* t = a ? a->folder(to) : nullptr;
  if (!f || !t || !f->find(uid) || !store_.move(*a, *f, uid, *t, "webmail")) return false;
  after_webmail();
  return true;
}

bool World::webmail_empty_trash(const std::string& address) {
  mail::Account* a = store_.find_account(address);
  mail::Folder* trash = a ? trash_of(*a) : nullptr;
  if (!trash) return false;
  std::vector<mail::Uid> uids;
  for (const mail::Entry& e : trash->messages()) uids.push_back(e.uid);
  for (mail::Uid u : uids) store_.expunge(*a, *trash, u, "webmail");
  after_webmail();
  return true;
}

bool World::change_password(const std::string& address, const std::string& password) {
  mail::Account* a = store_.find_account(address);
  if (!a) return false;
  a->set_password(password);
  add_event({.kind = EventKind::PasswordChanged, .account = a->address()});
  return true;
}

}  // namespace postino::world
