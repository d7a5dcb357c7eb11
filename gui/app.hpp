#pragma once
// The GUI's model: a scenario, its full run, and a cursor on its trace. Views read it (const)
// and return intents; the app applies them between frames (docs/ARCHITECTURE.md, rule 6).
#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/lang.hpp"
#include "sim/lesson/lesson.hpp"
#include "sim/script/scenario.hpp"

namespace postino::gui {

struct Intent {
  enum class Kind { None, Play, Pause, StepForward, StepBack, First, Last, Seek, Speed, Select, Act,
                    Export, Undo, RestoreScript,
                    NextSay, PreviousSay,  // to the story's next / previous narration (N, Shift+N)
                    NextChange,            // over quiet time to the next thing that changes (S)
                    // A lesson's (lesson::Run): answer the question with `choices`, one more hint,
                    // the next step, review the previous one.
                    LessonAnswer, LessonHint, LessonNext, LessonPrevious };
  Kind kind = Kind::None;
  std::size_t index = 0;  // Seek: trace entry; Select: device; Export: 0 text, 1 Markdown
  float value = 0;        // Speed
  script::Step step{};    // Act: what the user does, as a scenario statement
  std::vector<std::size_t> choices{};  // LessonAnswer: the choices picked
};

class App {
 public:
  App() = default;
  App(const App&) = delete;  // the player points into this App's scenario
  App& operator=(const App&) = delete;
  ~App();  // stops a run ahead still going

  // Loads a scenario, lesson or story file, or the built-in welcome scenario when `file` is
  // empty. On error the App keeps what it had.
  bool load(const std::string& file, std::string& error, bool italian = false);
  // The same scenario with every device on one protocol (POP3 on 995, leaving nothing on the
  // server; or IMAP on 993), without narration and checks: the side-by-side comparison.
  void load_variant(const App& base, world::Protocol protocol);

  void apply(const Intent& i);
  // A lesson or story loaded (lessons/FORMAT.md): its setup is the scenario, and the App hosts
  // its lesson::Run (lesson.hpp). Each step's actions are appended to the story when the step
  // begins and played from their first line; they are not clicks (Undo never takes them back),
  // and a task's clicks stay for good once the task is done. A click always goes at the end of
  // the story (a lesson is one way forward). The task is checked whenever the cursor reaches
  // the end of the story.
  const lesson::Lesson* current_lesson() const { return lesson_ ? &*lesson_ : nullptr; }
  const lesson::Run* lesson_run() const { return run_ ? &*run_ : nullptr; }
  // The learner who does everything right, up to step `step` (0-based): the screenshots'
  // "mid-task" pictures and a teacher's jump ahead.
  void lesson_skip_to(std::size_t step);
  // The learner's clicks (Act) happen at the cursor: they branch the story there. The rule: if
  // the cursor is between two statements, the click comes right there; if it is inside one (a
  // session still talking, the clock running to an `at`), that statement finishes first, then
  // the click runs. Either way it is the statement after the cursor's, so a saved scenario
  // replays it the same. The script's statements after the branch point are set aside, kept:
  // Undo (Ctrl+Z) takes back the last click, stepping back over a click's first line takes it
  // back too, and with no click left the set-aside script comes back; RestoreScript drops every
  // click at once. A click made before earlier clicks replaces them (they came after it).
  // How many clicks are in the story now.
  std::size_t user_steps() const { return clicks_.size(); }
  // The script's statements set aside by the learner's clicks (none: the story is the script).
  std::size_t set_aside() const { return set_aside_.size(); }
  // The first trace line of the learner's first click (where the story was changed).
  std::optional<std::size_t> branch_line() const {
    return clicks_.empty() ? std::nullopt : std::optional<std::size_t>(clicks_.front().first_line);
  }
  // The story as it is now (setup, the script's statements kept, the clicks) in the scenario
  // language: what "Save scenario..." writes and `postino run` replays.
  std::string scenario_text() const;
  // Advances playback by `seconds` of real time; true when something moved.
  bool tick(double seconds);
  // The whole story is run ahead on a thread of its own (a copy of the scenario; the world at
  // the cursor is not touched), so the scrubber can cover all of it: its length in trace lines
  // once known (until then, what the cursor's run knows), and where the narration is.
  std::size_t whole_length() const;
  std::vector<std::size_t> narration_marks() const;
  bool whole_known() const;
  // Waits for the run ahead (a screenshot wants the whole scrubber).
  void wait_for_whole();
  // Called (on the other thread) when a run ahead ends: the window wakes up to draw it.
  void on_whole_known(std::function<void()> wake) { wake_ = std::move(wake); }

  // Side by side, two stories run on one clock (tick_pair): the simulated time of the cursor's
  // line, of the line after it (nullopt at the end; the run goes on to know), and a move to the
  // last line sent at or before `t`.
  // Lines as `postino run` prints them (an entry can be several): the first line of entry
  // `index`, counted from 1; and the entry holding printed line `line` (the run goes on to it).
  std::size_t printed_line(std::size_t index) const;
  std::size_t entry_at_line(std::size_t line);
  Time time_at_cursor() const { return trace().empty() ? 0 : trace()[cursor_].sent; }
  std::optional<Time> next_time();
  void seek_time(Time t);

  const script::Scenario& scenario() const { return scenario_; }
  const std::string& title(postino::Lang lang = postino::Lang::En) const { return scenario_.title.in(lang); }
  // The run so far (it grows as the cursor moves on; the transcript is drawn from it up to the
  // cursor) and the world as it is at the cursor.
  const std::vector<world::TraceEntry>& trace() const { return at_->world().trace(); }
  // Changes whenever trace entries were dropped and made again (a rewind): what a view keeps
  // pointing into the trace is stale then.
  std::uint64_t trace_epoch() const { return trace_epoch_; }
  // Changes when another scenario is loaded: the trace is another story then. (Between loads it
  // only grows or is made again the same.)
  std::uint64_t run_id() const { return run_id_; }
  const world::World& at_cursor() const { return at_->world(); }
  // The whole scenario has been played (the last line is known).
  bool finished() const { return at_->finished(); }
  std::size_t cursor() const { return cursor_; }
  // 0..1 through the current line's flight, for the envelope animation.
  float phase() const { return phase_; }
  bool playing() const { return playing_; }
  float speed() const { return speed_; }
  std::optional<std::size_t> selected_device() const { return selected_; }
  bool animating() const { return playing_ || phase_ < 1.0f; }
  // The failed `expect` to show at the cursor: the last one at or before it, until the story
  // says something again (the narration has moved on then).
  std::optional<std::size_t> failed_check() const;
  // The transcript up to the cursor, as `postino run --lang` prints it (text or Markdown).
  std::string transcript(bool markdown, postino::Lang lang = postino::Lang::En) const;

  // A real mail client on a socket (`open --listen`). What it does becomes steps of the
  // scenario, like clicks, so stepping back and playing again show it too; what the server
  // answers is collected for its socket. external_connect() names the device it appears as.
  std::string external_connect(world::Protocol protocol, bool tls, int port);
  void external_send(const std::string& device, std::string bytes);
  void external_hang_up(const std::string& device);
  // True once when the server accepted its STARTTLS/STLS: the socket starts TLS now.
  bool external_take_starttls(const std::string& device);
  void external_tls_established(const std::string& device);
  // What the server said to `device` since the last call.
  std::string external_output(const std::string& device);
  // False once the server ended the session (LOGOUT, QUIT) or the client hung up.
  bool external_open(const std::string& device) const;

 private:
  void move_to(std::size_t index);
  // Runs the cursor's world on, one event at a time, until trace entry `index` exists (or the end).
  void run_to_entry(std::size_t index);
  void lesson_host();  // plays a step's actions, shows the Run the world (lesson.hpp's loop)
  void back_to(std::size_t index);  // moving back takes back the clicks made after there
  // The first line after the cursor that `wanted` accepts (run on until one comes), else the last.
  template <typename Pred>
  std::size_t forward_to(Pred wanted);
  void click(script::Step step);  // branches the story at the cursor (see apply)
  // Takes back clicks k.. (the last first): the cursor goes to `line` or, if later, to just
  // before the first of them; with no click left the set-aside script comes back.
  void drop_clicks(std::size_t k, std::size_t line);
  void play_step(script::Step step);  // a real client's: appended, played, answers collected
  void collect_external(std::size_t first_new);  // what real clients heard from there on
  // A real client's step (bytes, hang-up, TLS up), if its connection is open.
  void play_external(const std::string& device, script::Action what);
  script::Scenario scenario_;
  std::optional<lesson::Lesson> lesson_;
  std::optional<lesson::Run> run_;  // points into lesson_
  // The world at the cursor: moving forward runs it on; moving back replays from the start.
  // Only what has been looked at is ever played, so the first frame does not wait for a long run.
  std::unique_ptr<script::Player> at_;
  // The same story run on to its end, for the scrubber; made again when the story changes.
 public:
  struct Whole {
    std::size_t length = 0;
    std::vector<std::size_t> marks;
  };

 private:
  void look_ahead();  // starts the run ahead of the current story, if not started
  std::uint64_t story_version_ = 0, ahead_version_ = static_cast<std::uint64_t>(-1);
  std::shared_ptr<std::atomic<bool>> ahead_cancel_;
  struct AheadThread {
    std::atomic<int> tid{0};  // its Linux thread id, once it runs
    std::atomic<bool> urgent{false};  // someone waits for it: no longer idle
  };
  std::shared_ptr<AheadThread> ahead_thread_;
  std::future<Whole> ahead_;
  std::optional<Whole> whole_;
  std::function<void()> wake_;
  std::unique_ptr<script::Scenario> ahead_story_;  // the browser build's run ahead (no threads)
  std::unique_ptr<script::Player> ahead_player_;
  std::size_t cursor_ = 0;
  float phase_ = 1.0f;
  bool playing_ = false;
  float speed_ = 1.0f;
  double wait_ = 0;
  std::optional<std::size_t> selected_;
  struct Click {
    std::size_t step;        // its first statement (a settings change can be several)
    std::size_t first_line;  // the first trace line it made
  };
  std::vector<Click> clicks_;
  std::vector<script::Step> set_aside_;  // the script's statements after the branch point
  std::uint64_t trace_epoch_ = 0;
  // printed_line()'s running sums: line_start_[k] is entry k's first line; kept for an epoch.
  mutable std::vector<std::size_t> line_start_;
  mutable std::uint64_t lines_epoch_ = static_cast<std::uint64_t>(-1);
  std::uint64_t run_id_ = 0;
  std::size_t external_seen_ = 0;  // trace entries already read for answers (they never change)
  std::map<std::string, std::string> external_out_;
  std::map<std::string, bool> external_open_;
  std::map<std::string, bool> external_starttls_;  // the socket must start TLS
  std::map<std::string, bool> external_tls_asked_;  // ...and was told so already
};

// Side by side: two Apps on one simulated clock. tick_pair plays both (`playing` and `wait`
// are the pair's), step_pair moves on by the earlier next line (both when at the same time),
// step_pair_back takes back the later one.
void tick_pair(App& a, App& b, double seconds, bool& playing, double& wait);
bool step_pair(App& a, App& b);
void step_pair_back(App& a, App& b);

}  // namespace postino::gui
