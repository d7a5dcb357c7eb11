#include "gui/app.hpp"

#include <fstream>
#ifdef __linux__
#include <sched.h>
#include <sys/resource.h>
#endif
#include <sstream>

#include "sim/world/transcript.hpp"

namespace postino::gui {
namespace {

// What a newcomer sees first: one account, a phone on IMAP, a laptop on POP3, mail arriving.
constexpr const char* kWelcome = R"(title "POP3 or IMAP? Watch the mail"
server tuodominio.it quota 20MB
account info@tuodominio.it password "segreta"
device phone  phone  client apple-mail  imap 993 idle on
device laptop laptop client thunderbird pop3 995 leave-on-server off poll off
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
device portatile laptop client thunderbird pop3 995 leave-on-server off poll off
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
  std::optional<lesson::Lesson> les;
  script::Scenario scenario;
  if (lesson::is_lesson(text)) {
    lesson::Parsed parsed = lesson::parse(text);
    if (!parsed.ok()) {
      for (const auto& d : parsed.errors) error += script::format_diagnostic(file, d);
      return false;
    }
    les = std::move(parsed.lesson);
    scenario = les->setup;
    scenario.steps.clear();  // the steps' actions come as the learner reaches them
  } else {
    script::Parsed parsed = script::parse(text);
    if (!parsed.ok()) {
      for (const auto& d : parsed.errors) error += script::format_diagnostic(file.empty() ? "welcome" : file, d);
      return false;
    }
    scenario = std::move(parsed.scenario);
  }
  run_.reset();  // before the lesson it points into
  lesson_ = std::move(les);
  if (lesson_) run_.emplace(*lesson_);
  scenario_ = std::move(scenario);
  ++run_id_;
  ++story_version_;
  at_.reset();
  cursor_ = 0;
  clicks_.clear();
  set_aside_.clear();
  external_seen_ = 0;
  external_out_.clear();
  external_open_.clear();
  external_starttls_.clear();
  external_tls_asked_.clear();
  playing_ = false;
  move_to(0);
  lesson_host();
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
  clicks_.clear();  // the pair's own story: the base's clicks are statements of it
  set_aside_.clear();
  ++run_id_;
  ++story_version_;
  at_.reset();
  playing_ = false;
  move_to(0);
}

void App::run_to_entry(std::size_t index) {
  while (trace().size() <= index && !at_->finished()) at_->run_until(at_->world().events_run() + 1);
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
  run_to_entry(index);
  cursor_ = trace().empty() ? 0 : std::min(index, trace().size() - 1);
  phase_ = 0.0f;
}

void App::back_to(std::size_t to) {
  // Back over a click's first line: the click is taken back (the world before it has not got
  // it). Later clicks start later, so they go too.
  std::size_t k = clicks_.size();
  while (k > 0 && to < clicks_[k - 1].first_line) --k;
  if (k < clicks_.size()) drop_clicks(k, to);
  else move_to(to);
  phase_ = 1.0f;
}

template <typename Pred>
std::size_t App::forward_to(Pred wanted) {
  for (std::size_t k = cursor_ + 1;; ++k) {
    run_to_entry(k);
    if (k >= trace().size()) return trace().empty() ? 0 : trace().size() - 1;
    if (wanted(trace()[k])) return k;
  }
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
    case K::StepBack:
      playing_ = false;
      back_to(cursor_ > 0 ? cursor_ - 1 : 0);
      break;
    case K::NextSay:
      playing_ = false;
      move_to(forward_to([](const world::TraceEntry& t) { return t.is_event(world::EventKind::Say); }));
      break;
    case K::PreviousSay: {
      playing_ = false;
      std::size_t to = 0;
      for (std::size_t k = cursor_; k-- > 0;)
        if (trace()[k].is_event(world::EventKind::Say)) {
          to = k;
          break;
        }
      back_to(to);
      break;
    }
    case K::NextChange:
      // Quiet time is a poll that finds nothing, a connection opening or closing, the clock
      // running: what changes is mail, folders, flags, a device's state, or the story's words.
      playing_ = false;
      move_to(forward_to([](const world::TraceEntry& t) {
        using E = world::EventKind;
        if (!t.what) return false;
        switch (t.what->kind) {
          case E::Connected: case E::TlsAtConnect: case E::TlsUpgraded: case E::Disconnected:
          case E::TimePasses: return false;
          case E::Check: return !t.what->ok;
          default: return true;
        }
      }));
      break;
    case K::Undo:
      if (!clicks_.empty()) drop_clicks(clicks_.size() - 1, cursor_);
      break;
    case K::RestoreScript:
      if (!clicks_.empty()) drop_clicks(0, cursor_);
      break;
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
    case K::Act: click(i.step); break;
    case K::LessonAnswer:
      // About the world the learner is looking at: the one at the cursor, not played further.
      if (run_ && (run_->phase() == lesson::Phase::Predict || run_->phase() == lesson::Phase::Question))
        run_->answer(i.choices, at_cursor());
      break;
    case K::LessonHint:
      if (run_ && run_->phase() == lesson::Phase::Task) run_->more_hint();
      break;
    case K::LessonNext:
      if (run_ && run_->can_next()) run_->next();
      break;
    case K::LessonPrevious:
      if (run_ && run_->can_previous()) run_->previous();
      break;
  }
  lesson_host();
}

void App::lesson_host() {
  if (!run_) return;
  if (!at_) move_to(0);
  if (run_->phase() == lesson::Phase::Play) {
    // The step's actions at the end of the story, for good: the clicks before them stay too.
    at_->run_until();
    const std::size_t first_new = trace().size();
    clicks_.clear();
    set_aside_.clear();
    const auto& actions = run_->actions();
    scenario_.steps.insert(scenario_.steps.end(), actions.begin(), actions.end());
    ++story_version_;
    at_->steps_changed();
    at_->run_until();
    run_->played(at_->world());
    if (trace().size() > first_new) {
      move_to(first_new);  // they play from their first line
      playing_ = true;
    }
  }
  // The task is judged on the world at the end of the story: once the cursor is there.
  if (run_->phase() == lesson::Phase::Task && cursor_ + 1 >= trace().size()) {
    at_->run_until();
    if (cursor_ + 1 >= trace().size()) {
      run_->update(at_->world());
      if (run_->phase() != lesson::Phase::Task) clicks_.clear();  // done: no Undo past it
    }
  }
}

void App::lesson_skip_to(std::size_t step) {
  for (int guard = 0; run_ && run_->reached() < step && !run_->finished() && guard < 1000; ++guard) {
    const lesson::Step& st = lesson_->steps[run_->reached()];
    switch (run_->phase()) {
      case lesson::Phase::Predict:
      case lesson::Phase::Question: {
        // A question about what happened is answered in the world at the cursor: at the end.
        if (run_->phase() == lesson::Phase::Question) apply({Intent::Kind::Last});
        Intent a{Intent::Kind::LessonAnswer};
        for (std::size_t k = 0; k < st.question->choices.size(); ++k)
          if (st.question->choices[k].right) a.choices.push_back(k);
        apply(a);
        break;
      }
      case lesson::Phase::Task:
        for (const script::Step& s : st.task->solution) apply({Intent::Kind::Act, 0, 0, s});
        apply({Intent::Kind::Last});
        break;
      case lesson::Phase::Play: lesson_host(); break;
      case lesson::Phase::Done: apply({Intent::Kind::LessonNext}); break;
    }
  }
  apply({Intent::Kind::Last});
}

namespace {

// The subject of the message a click names by UID, for the scenario file (which names messages
// by subject); empty when the device does not know it.
std::string subject_of(const world::World& w, const std::string& device, const std::string& folder, mail::Uid uid) {
  const world::Device* d = w.device(device);
  if (!d) return {};
  if (d->pop_client()) {
    const auto& inbox = d->pop_inbox();
    return uid >= 1 && uid <= inbox.size() && inbox[uid - 1].message ? inbox[uid - 1].message->summary().subject : "";
  }
  if (const imap::Client* c = d->imap_client()) {
    auto f = c->folders().find(folder);
    if (f == c->folders().end()) return {};
    auto m = f->second.messages.find(uid);
    return m != f->second.messages.end() && m->second.message ? m->second.message->summary().subject : "";
  }
  return {};
}

}  // namespace

void App::click(script::Step step) {
  ++story_version_;
  if (!at_) move_to(0);
  playing_ = false;
  step.line = 0;
  if (run_) at_->run_until();  // in a lesson, at the end of the story (see current_lesson())
  // Where it goes (the rule is in app.hpp): right here between statements, else after the one
  // running at the cursor.
  std::size_t at = std::min(scenario_.steps.size(), at_->next_step() + (at_->between_steps() ? 0 : 1));
  // ...and after the whole of a click that was several statements (a settings change).
  for (std::size_t k = 0; k < clicks_.size(); ++k) {
    const std::size_t end = k + 1 < clicks_.size() ? clicks_[k + 1].step : scenario_.steps.size();
    if (clicks_[k].step < at && at < end) at = end;
  }
  // What the story had from there on gives way: the script's statements are set aside, in
  // order before any set aside already; the learner's own later clicks are dropped.
  const std::size_t kept = clicks_.empty() ? scenario_.steps.size() : clicks_.front().step;
  if (at < kept) {
    set_aside_.insert(set_aside_.begin(), scenario_.steps.begin() + static_cast<std::ptrdiff_t>(at),
                      scenario_.steps.begin() + static_cast<std::ptrdiff_t>(kept));
    clicks_.clear();
  }
  while (!clicks_.empty() && clicks_.back().step >= at) clicks_.pop_back();
  scenario_.steps.resize(at);
  at_->steps_changed();
  at_->run_until();  // the statement at the cursor finishes (nothing after it is left)
  const std::size_t first_new = trace().size();
  clicks_.push_back({at, first_new});
  // As a file would say it, so that a saved scenario replays this very run: messages also by
  // subject, several settings changed at once as one `set` each.
  auto named = [&](auto& a) {
    if (a.uid && a.subject.empty()) a.subject = subject_of(at_->world(), a.device, a.folder, a.uid);
  };
  if (auto* a = std::get_if<script::Open>(&step.what)) named(*a);
  if (auto* a = std::get_if<script::Delete>(&step.what)) named(*a);
  if (auto* a = std::get_if<script::Flag>(&step.what)) named(*a);
  if (auto* a = std::get_if<script::Move>(&step.what)) named(*a);
  const auto* set = std::get_if<script::Set>(&step.what);
  const world::Device* d = set ? at_->world().device(set->device) : nullptr;
  if (set && d) {
    const auto singles = script::split_settings(d->config(), set->settings);
    for (std::size_t k = 0; k < singles.size(); ++k)
      scenario_.steps.push_back({.at = k ? std::nullopt : step.at, .after = k ? 0 : step.after,
                                 .what = script::Set{set->device, singles[k]}});
    if (singles.empty()) scenario_.steps.push_back(std::move(step));  // nothing changes, but it was asked
  } else {
    scenario_.steps.push_back(std::move(step));
  }
  at_->run_until();
  collect_external(first_new);  // a real client in IDLE hears of a click's delivery
  move_to(first_new);  // its lines play from the first
  playing_ = true;
}

void App::drop_clicks(std::size_t k, std::size_t line) {
  ++story_version_;
  playing_ = false;
  const Click first = clicks_[k];
  // The world goes back to before the click's first statement began: its lines are gone then.
  if (first.first_line == 0) at_.reset();  // nothing came before it: from the start
  else move_to(std::min(line, first.first_line - 1));
  const std::size_t cursor = first.first_line == 0 ? 0 : cursor_;
  // Lines from there on are made anew. (A real client that heard a click's lines keeps them:
  // the world can take a click back, a socket cannot.)
  external_seen_ = std::min(external_seen_, first.first_line);
  scenario_.steps.resize(first.step);
  clicks_.resize(k);
  if (clicks_.empty()) {  // the script comes back where it was set aside
    scenario_.steps.insert(scenario_.steps.end(), set_aside_.begin(), set_aside_.end());
    set_aside_.clear();
  }
  if (at_) at_->steps_changed();
  ++trace_epoch_;  // the lines after the cursor will be the script's again
  move_to(cursor);
  phase_ = 1.0f;
}

std::string App::scenario_text() const { return script::write(scenario_); }

// A real client's step is appended to the scenario, after everything it already holds; the run
// is replayed (deterministic) and the new lines play from where they start. What the server
// told the client's socket cannot be taken back: the learner's clicks so far stay for good.
void App::play_step(script::Step step) {
  if (!at_) move_to(0);
  at_->run_until();  // the story so far first: the new step comes after all of it
  const std::size_t first_new = trace().size();
  scenario_.steps.push_back(std::move(step));  // the player reads the steps as it goes
  clicks_.clear();
  set_aside_.clear();
  at_->run_until();
  collect_external(first_new);
  move_to(first_new);
  playing_ = true;
}

void App::collect_external(std::size_t first_new) {
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

std::size_t App::printed_line(std::size_t index) const {
  if (lines_epoch_ != trace_epoch_ + (run_id_ << 32)) {
    line_start_.clear();
    lines_epoch_ = trace_epoch_ + (run_id_ << 32);
  }
  const auto& t = trace();
  if (line_start_.empty()) line_start_.push_back(1);
  while (line_start_.size() <= std::min(index, t.size()))
    line_start_.push_back(line_start_.back() + world::printed_lines(t[line_start_.size() - 1]));
  return line_start_[std::min(index, t.size())];
}

std::size_t App::entry_at_line(std::size_t line) {
  for (std::size_t k = 0;; ++k) {
    run_to_entry(k + 1);
    if (k + 1 >= trace().size() || printed_line(k + 1) > line) return std::min(k, trace().empty() ? 0 : trace().size() - 1);
  }
}

std::optional<Time> App::next_time() {
  const std::size_t k = forward_to([](const world::TraceEntry&) { return true; });
  if (k <= cursor_) return std::nullopt;
  return trace()[k].sent;
}

void App::seek_time(Time t) {
  std::size_t k = cursor_;
  if (time_at_cursor() <= t) {  // forward while the next line is still in time
    for (auto n = next_time(); n && *n <= t; n = next_time()) move_to(++k);
    return;
  }
  while (k > 0 && trace()[k].sent > t) --k;
  back_to(k);
}

void tick_pair(App& a, App& b, double seconds, bool& playing, double& wait) {
  a.tick(seconds);  // the envelopes' flight only: neither plays by itself
  b.tick(seconds);
  if (!playing) return;
  wait += seconds * a.speed();
  if (wait < 0.15 || a.phase() < 1.0f || b.phase() < 1.0f) return;
  wait = 0;
  if (!step_pair(a, b)) playing = false;
}

bool step_pair(App& a, App& b) {
  // The two stories merged by time: the earlier next line goes first, equal ones together.
  const auto ta = a.next_time(), tb = b.next_time();
  if (!ta && !tb) return false;
  if (ta && (!tb || *ta <= *tb)) a.apply({Intent::Kind::StepForward});
  if (tb && (!ta || *tb <= *ta)) b.apply({Intent::Kind::StepForward});
  return true;
}

void step_pair_back(App& a, App& b) {
  const Time ta = a.time_at_cursor(), tb = b.time_at_cursor();
  if (a.cursor() > 0 && ta >= tb) a.apply({Intent::Kind::StepBack});
  if (b.cursor() > 0 && tb >= ta) b.apply({Intent::Kind::StepBack});
}

App::~App() {
  if (ahead_cancel_) *ahead_cancel_ = true;
}

namespace {
// What the scrubber needs of a whole run: its length and where the narration is.
App::Whole summary_of(const script::Player& p) {
  App::Whole w;
  const auto& t = p.world().trace();
  w.length = t.size();
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k].is_event(world::EventKind::Say)) w.marks.push_back(k);
  return w;
}
}  // namespace

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
// The browser build has no threads: the run ahead goes a little further at every frame instead.
void App::look_ahead() {
  if (ahead_version_ != story_version_) {
    ahead_version_ = story_version_;
    whole_.reset();
    ahead_story_ = std::make_unique<script::Scenario>(scenario_);
    ahead_player_ = std::make_unique<script::Player>(*ahead_story_, static_cast<std::size_t>(-1));
  }
  if (!ahead_player_) return;
  ahead_player_->run_until(ahead_player_->world().events_run() + 200);
  if (ahead_player_->finished()) {
    whole_ = summary_of(*ahead_player_);
    ahead_player_.reset();
  }
}

void App::wait_for_whole() {
  look_ahead();
  while (ahead_player_) look_ahead();
}
#else
void App::look_ahead() {
  if (ahead_version_ == story_version_) {
    if (!whole_ && ahead_.valid() && ahead_.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
      whole_ = ahead_.get();
    return;
  }
  if (ahead_cancel_) *ahead_cancel_ = true;  // the old story's run ends at its next chunk
  ahead_version_ = story_version_;
  whole_.reset();
  ahead_cancel_ = std::make_shared<std::atomic<bool>>(false);
  ahead_thread_ = std::make_shared<AheadThread>();
  // The thread owns a copy of the story; nothing of this App is shared with it.
  ahead_ = std::async(std::launch::async, [story = scenario_, cancel = ahead_cancel_, wake = wake_, me = ahead_thread_]() {
#ifdef __linux__
    // Below the window's own threads (and a software renderer's): the scrubber can wait a frame.
    // SCHED_IDLE runs it only on a core nobody else wants (a niced thread still took frames from
    // llvmpipe's); both are per thread on Linux, 0 being this one. wait_for_whole() lifts it.
    const sched_param idle{};
    if (::sched_setscheduler(0, SCHED_IDLE, &idle) != 0) ::setpriority(PRIO_PROCESS, 0, 19);
    me->tid = static_cast<int>(::gettid());
    if (me->urgent) ::sched_setscheduler(0, SCHED_OTHER, &idle);  // waited for already
#endif
    script::Player p(story, static_cast<std::size_t>(-1));  // no checkpoints: it never goes back
    while (!p.finished() && !*cancel) p.run_until(p.world().events_run() + 200);
    if (wake && !*cancel) wake();
    return summary_of(p);
  });
}

void App::wait_for_whole() {
  look_ahead();
#ifdef __linux__
  // Someone waits for it now (a screenshot): an ordinary thread again, or a busy machine would
  // starve it.
  const sched_param normal{};
  if (ahead_thread_) {
    ahead_thread_->urgent = true;  // (then the tid: one of the two sides sees the other)
    if (const int tid = ahead_thread_->tid; tid != 0) ::sched_setscheduler(tid, SCHED_OTHER, &normal);
  }
#endif
  if (ahead_.valid()) whole_ = ahead_.get();
}
#endif

bool App::whole_known() const { return whole_ && ahead_version_ == story_version_; }

std::size_t App::whole_length() const {
  return whole_known() ? std::max(whole_->length, trace().size()) : trace().size();
}

std::vector<std::size_t> App::narration_marks() const {
  if (whole_known()) return whole_->marks;
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < trace().size(); ++k)
    if (trace()[k].is_event(world::EventKind::Say)) out.push_back(k);
  return out;
}

bool App::tick(double seconds) {
  look_ahead();  // the whole story, for the scrubber (started once per story, on its own thread)
  bool moved = false;
  if (phase_ < 1.0f) {
    phase_ = std::min(1.0f, phase_ + static_cast<float>(seconds * speed_ / 0.6));
    moved = true;
  }
  if (run_ && run_->phase() == lesson::Phase::Task) {  // a hint comes after a while
    const std::size_t hints = run_->hints_shown();
    run_->waited(seconds);
    moved |= run_->hints_shown() != hints;
  }
  if (!playing_) return moved;
  wait_ += seconds * speed_;
  if (phase_ >= 1.0f && wait_ >= 0.15) {
    wait_ = 0;
    if (cursor_ + 1 >= trace().size() && finished()) playing_ = false;
    else move_to(cursor_ + 1);
    moved = true;
    lesson_host();
  }
  return moved;
}

}  // namespace postino::gui
