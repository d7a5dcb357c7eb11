// The lesson language and its engine: parsing with diagnostics, a learner's run (phases, hints,
// answers, wrong moves), and solve() proving a lesson completable or naming the broken step.
#include <doctest/doctest.h>

#include <set>

#include "sim/lesson/lesson.hpp"
#include "support/fixtures.hpp"

namespace postino::lesson {
namespace {

const char* kLesson = R"(lesson
title en "POP and a second device" it "POP e un secondo dispositivo"
claims S3 S9
summary en "POP takes the mail away." it "POP si porta via la posta."
server tuodominio.it
account info@tuodominio.it password "segreta"
device pc    laptop client thunderbird pop3 995 leave-on-server off poll off
device phone phone  client phone-mail  pop3 995 leave-on-server off poll off

step en "An order arrives" it "Arriva un ordine"
say en "A customer writes." it "Un cliente scrive."
at 09:00 deliver to info@tuodominio.it subject "Ordine 42"

step en "Download it" it "Scaricalo"
task en "Get the mail on the PC"
     it "Scarica la posta sul PC"
until pc INBOX has "Ordine 42"
hint en "Press Get mail." it "Premi Scarica posta."
hint en "In the pc panel." it "Nel pannello pc."
wrong phone INBOX has "Ordine 42"
feedback en "That was the phone." it "Quello era il telefono."
solution pc get-mail
question en "Which UID did the server give it?" it "Quale UID gli ha dato il server?"
choice right both "1"
choice both "42"

step en "The phone" it "Il telefono"
question predict en "How many will the phone find?" it "Quanti ne troverà il telefono?"
choice both "1"
when phone INBOX count 1
choice right both "0"
when phone INBOX count 0
feedback en "Right." it "Giusto."
phone get-mail
)";

std::string first_error(const std::string& text) {
  Parsed p = parse(text);
  if (p.ok()) return "ok";
  return script::format_diagnostic("l.txt", p.errors.front());
}

std::string all_errors(const std::string& text) {
  std::string out;
  for (const auto& d : parse(text).errors) out += script::format_diagnostic("l.txt", d);
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_SUITE("lesson") {
  TEST_CASE("a lesson parses into steps with tasks and questions") {
    Parsed p = parse(kLesson);
    REQUIRE_MESSAGE(p.ok(), script::format_diagnostic("l", p.errors.front()));
    const Lesson& l = p.lesson;
    CHECK_FALSE(l.story);
    CHECK(l.claims == std::vector<std::string>{"S3", "S9"});
    CHECK(l.setup.title.in(Lang::It) == "POP e un secondo dispositivo");
    CHECK(l.setup.steps.empty());
    REQUIRE(l.steps.size() == 3);
    CHECK(l.steps[0].line == 10);
    CHECK(l.steps[0].narration == std::vector<Text>{Text("A customer writes.", "Un cliente scrive.")});
    CHECK(l.steps[0].actions.size() == 1);
    REQUIRE(l.steps[1].task);
    const Task& t = *l.steps[1].task;
    CHECK(t.text.in(Lang::It) == "Scarica la posta sul PC");
    CHECK(t.until.size() == 1);
    CHECK(t.hints.size() == 2);
    REQUIRE(t.wrongs.size() == 1);
    CHECK(t.wrongs[0].feedback.in(Lang::En) == "That was the phone.");
    REQUIRE(t.solution.size() == 1);
    CHECK(std::holds_alternative<script::GetMail>(t.solution[0].what));
    REQUIRE(l.steps[2].question);
    const Question& q = *l.steps[2].question;
    CHECK(q.predict);
    REQUIRE(q.choices.size() == 2);
    CHECK(q.choices[1].right);
    CHECK(q.choices[1].when.size() == 1);
    CHECK(q.choices[1].feedback.in(Lang::It) == "Giusto.");
    CHECK(l.steps[2].actions.size() == 1);  // after the prediction, played once it is answered
  }

  TEST_CASE("lesson mistakes are errors at their line and column") {
    CHECK(first_error(replaced(kLesson, "until pc INBOX has", "until pc INBOX hsa")) ==
          "l.txt:17:16: error: unknown check \"hsa\"; did you mean \"has\"?\n"
          "    until pc INBOX hsa \"Ordine 42\"\n"
          "                   ^\n");
    CHECK(first_error(replaced(kLesson, "solution pc get-mail", "solution pc get-mial"))
              .find("l.txt:22:13: error: unknown action \"get-mial\" for device pc; did you mean \"get-mail\"?") == 0);
    CHECK(first_error(replaced(kLesson, "hint en \"Press", "hnt en \"Press"))
              .find("l.txt:18:1: error: unknown statement or device \"hnt\"; did you mean \"hint\"?") == 0);
    CHECK(first_error(replaced(kLesson, "     it \"Scarica la posta sul PC\"\n", "\n"))
              .find("l.txt:15:6: error: this text is in one language only") == 0);
    CHECK(first_error(replaced(kLesson, "choice right both \"1\"", "choice both \"1\""))
              .find("l.txt:23:1: error: no choice of this question is marked right") == 0);
    CHECK(first_error(replaced(kLesson, "solution pc get-mail\n", ""))
              .find("l.txt:15:1: error: this task has no \"solution\" line") == 0);
    CHECK(first_error(replaced(kLesson, "claims S3 S9", "claims S3 S19")).find("l.txt:3:11: error: \"S19\" is not a claim") == 0);
    CHECK(first_error(replaced(kLesson, "phone get-mail\n", "")).find("a prediction is revealed by the step's actions") != std::string::npos);
    CHECK(all_errors(replaced(kLesson, "choice right both \"1\"\n", "choice right both \"1\"\nphone get-mail\n"))
              .find("l.txt:25:1: error: the step's actions and narration come before its task and question") != std::string::npos);
    CHECK(first_error(replaced(kLesson, "lesson\n", "story\n")).find("l.txt:15:1: error: a support story has no tasks") == 0);
    CHECK(first_error(replaced(kLesson, "step en \"An order", "pc get-mail\nstep en \"An order"))
              .find("a lesson's actions and narration belong to a step") != std::string::npos);
  }

  TEST_CASE("a lesson with any line left out, or two lines swapped, parses or errs, and what parses solves without a crash") {
    std::vector<std::string> lines;
    for (std::size_t pos = 0, eol; (eol = std::string_view(kLesson).find('\n', pos)) != std::string_view::npos; pos = eol + 1)
      lines.emplace_back(std::string_view(kLesson).substr(pos, eol - pos));
    auto join = [](const std::vector<std::string>& ls) {
      std::string t;
      for (const auto& l : ls) t += l + "\n";
      return t;
    };
    std::size_t parsed = 0, failed = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      for (int mode = 0; mode < 2; ++mode) {
        std::vector<std::string> ls = lines;
        if (mode == 0) ls.erase(ls.begin() + static_cast<std::ptrdiff_t>(i));
        else if (i + 1 < ls.size()) std::swap(ls[i], ls[i + 1]);
        CAPTURE(i);
        CAPTURE(mode);
        Parsed p = parse(join(ls));
        if (!p.ok()) {
          ++failed;
          for (const auto& d : p.errors) CHECK(d.line >= 1);
          continue;
        }
        ++parsed;
        const SolveResult r = solve(p.lesson, Lang::En);
        for (const auto& pr : r.problems) CHECK(pr.line >= 1);
      }
    }
    CHECK(parsed > 0);
    CHECK(failed > 0);
  }

  TEST_CASE("a learner's run: predict, play, task with hints and a wrong move, question, next") {
    Parsed p = parse(kLesson);
    REQUIRE(p.ok());
    script::Scenario s = p.lesson.setup;
    script::Player player(s);
    auto play = [&](const std::vector<script::Step>& steps) {
      s.steps.insert(s.steps.end(), steps.begin(), steps.end());
      player.run_until();
    };
    Run run(p.lesson);
    CHECK(run.step_count() == 3);
    CHECK(run.title(Lang::It) == "Arriva un ordine");
    CHECK(run.narration(Lang::En) == std::vector<std::string>{"A customer writes."});
    REQUIRE(run.phase() == Phase::Play);
    CHECK_FALSE(run.can_next());
    play(run.actions());
    run.played(player.world());
    REQUIRE(run.phase() == Phase::Done);
    run.next();
    CHECK(run.step_index() == 1);
    REQUIRE(run.phase() == Phase::Task);  // no actions: straight to the task
    CHECK_FALSE(run.condition_met(player.world()));
    CHECK(run.hints_shown() == 0);
    run.waited(30);
    CHECK(run.hints_shown() == 0);
    run.waited(40);
    CHECK(run.hints_shown() == 1);
    CHECK(run.hint(Lang::It, 0) == "Premi Scarica posta.");
    run.more_hint();
    run.more_hint();
    CHECK(run.hints_shown() == 2);
    // The learner uses the phone instead: recognised.
    play({script::Step{.line = 0, .what = script::GetMail{"phone"}}});
    run.update(player.world());
    REQUIRE(run.wrong_feedback());
    CHECK(run.wrong_feedback()->in(Lang::En) == "That was the phone.");
    CHECK(run.phase() == Phase::Task);
    // A second order, then the PC: the task is done.
    play({script::Step{.line = 0, .what = script::Deliver{.account = "info@tuodominio.it", .subject = "Ordine 42"}},
          script::Step{.line = 0, .what = script::GetMail{"pc"}}});
    run.update(player.world());
    REQUIRE(run.phase() == Phase::Question);
    Feedback f = run.answer({1}, player.world());
    CHECK_FALSE(f.right);
    CHECK(f.text.in(Lang::It).find("Non proprio") == 0);
    CHECK(run.phase() == Phase::Question);  // try again
    f = run.answer({0}, player.world());
    CHECK(f.right);
    REQUIRE(run.phase() == Phase::Done);
    run.previous();
    CHECK(run.step_index() == 0);
    CHECK(run.phase() == Phase::Done);
    run.next();
    run.next();
    CHECK(run.step_index() == 2);
    REQUIRE(run.phase() == Phase::Predict);
    f = run.answer({0}, player.world());  // predicts "1": wrong, revealed by playing on
    CHECK_FALSE(f.right);
    REQUIRE(run.phase() == Phase::Play);
    play(run.actions());
    run.played(player.world());
    CHECK(run.consistent(player.world()) == std::optional<bool>(false));  // the phone took 1
    REQUIRE(run.phase() == Phase::Done);
    run.next();
    CHECK(run.finished());
    const Run::Summary sum = run.summary(Lang::It);
    CHECK(sum.text == "POP si porta via la posta.");
    CHECK(sum.claims == std::vector<std::string>{"S3", "S9"});
    CHECK(sum.tasks == 1);
    CHECK(sum.questions == 2);
    CHECK(sum.right_first_time == 0);
  }

  TEST_CASE("a question about what happened is checked in the world given (the cursor's), not one played further") {
    Parsed p = parse(R"(lesson
title en "Deleting" it "Cancellare"
server tuodominio.it
account info@tuodominio.it password "segreta"
device pc laptop client thunderbird pop3 995 leave-on-server off poll off
step en "Download" it "Scarica"
at 09:00 deliver to info@tuodominio.it subject "Ordine 42"
task en "Get the mail" it "Scarica la posta"
until pc INBOX has "Ordine 42"
hint en "Press Get mail." it "Premi Scarica posta."
solution pc get-mail
question en "How many messages does the server keep?" it "Quanti messaggi tiene il server?"
choice right en "None" it "Nessuno"
when server info@tuodominio.it INBOX count 0
choice en "One" it "Uno"
when server info@tuodominio.it INBOX count 1
step en "Prediction" it "Previsione"
question predict en "Will the order come back?" it "L'ordine tornerà?"
choice right en "No" it "No"
when server info@tuodominio.it INBOX count 0
choice en "Yes" it "Sì"
when server info@tuodominio.it INBOX count 1
pc get-mail
)");
    REQUIRE_MESSAGE(p.ok(), script::format_diagnostic("l", p.errors.front()));
    script::Scenario s = p.lesson.setup;
    script::Player player(s);
    auto play = [&](const std::vector<script::Step>& steps) {
      s.steps.insert(s.steps.end(), steps.begin(), steps.end());
      player.run_until();
    };
    Run run(p.lesson);
    play(run.actions());
    run.played(player.world());
    REQUIRE(run.phase() == Phase::Task);
    play(run.task()->solution);
    run.update(player.world());
    REQUIRE(run.phase() == Phase::Question);
    const std::size_t step_end = player.world().events_run();
    // The learner goes on clicking: another order arrives at the end of the story. The window's
    // cursor is still where the step ended; that is the world the question is about.
    play({script::Step{.line = 0, .what = script::Deliver{.account = "info@tuodominio.it", .subject = "Ordine 43"}}});
    script::Player at_cursor(player);
    at_cursor.rewind_to(step_end);
    REQUIRE(at_cursor.world().store().find_account("info@tuodominio.it")->inbox().count() == 0);
    REQUIRE(player.world().store().find_account("info@tuodominio.it")->inbox().count() == 1);
    Run later(run);
    Feedback f = later.answer({0}, player.world());  // judged by the end of the story, "None" would be wrong
    CHECK_FALSE(f.right);
    CHECK(f.right_choices == std::vector<std::size_t>{1});
    f = run.answer({0}, at_cursor.world());
    CHECK(f.right);
    CHECK(f.right_choices == std::vector<std::size_t>{0});
    REQUIRE(run.phase() == Phase::Done);
    run.next();
    // A prediction is graded by its key: the world cannot show the answer before the reveal.
    REQUIRE(run.phase() == Phase::Predict);
    CHECK(run.answer({0}, player.world()).right);
  }

  TEST_CASE("solve: a good lesson completes in both languages") {
    Parsed p = parse(kLesson);
    REQUIRE(p.ok());
    for (Lang l : {Lang::En, Lang::It}) {
      const SolveResult r = solve(p.lesson, l);
      CHECK(r.ok());
      CHECK(r.log.find(l == Lang::It ? "passo 3/3  Il telefono" : "step 3/3  The phone") != std::string::npos);
    }
  }

  TEST_CASE("solve: an impossible task, a wrong key, a task done already, a failed expect name the line") {
    auto problems = [](const std::string& text) {
      Parsed p = parse(text);
      REQUIRE_MESSAGE(p.ok(), script::format_diagnostic("l", p.errors.front()));
      return solve(p.lesson, Lang::En).problems;
    };
    auto impossible = problems(replaced(kLesson, "solution pc get-mail", "solution phone get-mail"));
    REQUIRE(impossible.size() == 1);
    CHECK(impossible[0].line == 15);
    CHECK(impossible[0].message == "step 2 \"Download it\": the task cannot be completed: after its solution, pc INBOX has \"Ordine 42\"; it has nothing");
    auto key = problems(replaced(replaced(kLesson, "choice right both \"0\"", "choice both \"0\""), "choice both \"1\"\nwhen", "choice right both \"1\"\nwhen"));
    REQUIRE(key.size() == 1);
    CHECK(key[0].line == 28);
    CHECK(key[0].message.find("step 3 \"The phone\": the answer key disagrees with the simulation") == 0);
    auto done = problems(replaced(kLesson, "step en \"Download it\"", "pc get-mail\nstep en \"Download it\""));
    REQUIRE_FALSE(done.empty());
    CHECK(done[0].message.find("the task is complete before the learner does anything") != std::string::npos);
    auto early = problems(replaced(kLesson, "wrong phone INBOX has \"Ordine 42\"", "wrong pc INBOX count 0"));
    REQUIRE(early.size() == 1);
    CHECK(early[0].line == 20);
    CHECK(early[0].message == "step 2 \"Download it\": this wrong move is recognised before the learner does anything");
    auto failed = problems(replaced(kLesson, "phone get-mail\n", "phone get-mail\nexpect phone INBOX count 3\n"));
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].line == 35);
    CHECK(failed[0].message == "step 3 \"The phone\": expectation failed: phone INBOX count 3, but there are 0");
  }

  TEST_CASE("the example lesson in FORMAT.md parses and solves") {
    const std::string doc = test::read_file(std::string(POSTINO_SOURCE_DIR) + "/lessons/FORMAT.md");
    const auto section = doc.find("## Lessons");
    REQUIRE(section != std::string::npos);
    const auto open = doc.find("```\n", section);
    const auto close = doc.find("```", open + 4);
    REQUIRE(close != std::string::npos);
    Parsed p = parse(doc.substr(open + 4, close - open - 4));
    REQUIRE_MESSAGE(p.ok(), script::format_diagnostic("FORMAT.md", p.errors.front()));
    CHECK(p.lesson.steps.size() == 2);
    CHECK(solve(p.lesson, Lang::It).ok());
  }

  TEST_CASE("every bundled lesson and story parses, and solves; the lessons show S1 to S14") {
    std::set<std::string> shown;
    for (const char* dir : {"/lessons/lessons", "/lessons/stories"}) {
      const auto files = test::list_files(std::string(POSTINO_SOURCE_DIR) + dir, ".txt");
      CHECK_FALSE(files.empty());
      for (const std::string& file : files) {
        CAPTURE(file);
        const std::string text = test::read_file(file);
        CHECK(is_lesson(text));
        Parsed p = parse(text);
        REQUIRE_MESSAGE(p.ok(), script::format_diagnostic(file, p.errors.front()));
        CHECK(p.lesson.story == (std::string(dir) == "/lessons/stories"));
        CHECK_FALSE(p.lesson.claims.empty());
        if (!p.lesson.story) shown.insert(p.lesson.claims.begin(), p.lesson.claims.end());
        CHECK_FALSE(p.lesson.summary.en.empty());
        const SolveResult r = solve(p.lesson, Lang::En);
        CHECK_MESSAGE(r.ok(), (r.problems.empty() ? std::string() : r.problems.front().message));
      }
    }
    for (int k = 1; k <= 14; ++k) CHECK_MESSAGE(shown.count("S" + std::to_string(k)), "no lesson shows S" << k);
  }
}

}  // namespace postino::lesson
