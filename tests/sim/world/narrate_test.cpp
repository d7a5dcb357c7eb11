// The formatters: every kind of event has a sentence in both languages, plurals and numbers
// follow the language, and the Italian transcript of every example scenario has no English
// sentence left in it (wire lines and the trainer's own words excepted).
#include <doctest/doctest.h>

#include <sstream>

#include "sim/script/scenario.hpp"
#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"
#include "support/fixtures.hpp"

namespace postino::world {

namespace {

constexpr EventKind kLast = EventKind::Check;

Event sample(EventKind k) {
  return {.kind = k, .device = "phone", .account = "info@tuodominio.it", .folder = "INBOX",
          .to_folder = "Trash", .subject = "Ordine 42", .text = "552 5.2.2 mailbox full", .actor = "imap #3",
          .uid = 7, .flags = mail::kSeen, .protocol = Protocol::Pop3, .port = 995,
          .security = Security::Tls, .setting = Setting::ServerCopy, .old_value = 7, .new_value = -1,
          .count = 2, .when = test::kT0};
}

}  // namespace

TEST_SUITE("world") {
  TEST_CASE("every event kind reads in English and in Italian, differently") {
    for (int k = 0; k <= static_cast<int>(kLast); ++k) {
      const Event e = sample(static_cast<EventKind>(k));
      CAPTURE(k);
      const std::string en = describe(e, Lang::En), it = describe(e, Lang::It);
      CHECK_FALSE(en.empty());
      CHECK_FALSE(it.empty());
      if (e.kind != EventKind::Say) CHECK(en != it);
    }
  }

  TEST_CASE("every problem a mail app shows reads in both languages") {
    for (int p = 0; p <= static_cast<int>(ClientProblem::ConnectionLost); ++p) {
      for (Protocol protocol : {Protocol::Pop3, Protocol::Imap}) {
        const Event e{.kind = EventKind::ClientError, .device = "pc", .text = "-ERR [AUTH] no", .command = "RETR 1",
                      .protocol = protocol, .problem = static_cast<ClientProblem>(p)};
        CAPTURE(p);
        CHECK(client_problem(e, Lang::En) != client_problem(e, Lang::It));
        CHECK(describe(e, Lang::It).starts_with("errore mostrato all'utente: "));
      }
    }
    const Event login{.kind = EventKind::ClientError, .text = "-ERR [AUTH] invalid password", .problem = ClientProblem::AuthFailed};
    CHECK(client_problem(login, Lang::En) == "Login failed (check the password): -ERR [AUTH] invalid password");
    // In Italian the server's English words are left out; its status and response codes stay.
    CHECK(client_problem(login, Lang::It) == "accesso non riuscito, controlla la password (-ERR [AUTH])");
  }

  TEST_CASE("plural forms and number formats follow the language") {
    Event backup{.kind = EventKind::BackupTaken, .count = 1};
    CHECK(describe(backup, Lang::En) == "backup taken (1 message)");
    CHECK(describe(backup, Lang::It) == "backup eseguito (1 messaggio)");
    backup.count = 12345;
    backup.nightly = true;
    CHECK(describe(backup, Lang::En) == "nightly backup taken (12,345 messages)");
    CHECK(describe(backup, Lang::It) == "backup notturno eseguito (12.345 messaggi)");
    const Event restored{.kind = EventKind::Restored, .account = "a@b.it", .count = 1, .when = test::kT0};
    CHECK(describe(restored, Lang::It) == "ripristinato 1 messaggio di a@b.it dal backup del 26/11/2026, ore 08:00");
    // Days read with a vowel elide the article, as Italian writes them.
    Event later = restored;
    later.when = test::kT0 + 15 * kDay;  // 11/12
    CHECK(describe(later, Lang::It) == "ripristinato 1 messaggio di a@b.it dal backup dell'11/12/2026, ore 08:00");
    const Event time{.kind = EventKind::TimePasses, .when = test::kT0 + 12 * kDay};  // 08/12
    CHECK(describe(time, Lang::It) == "passa il tempo: ora è l'08/12/2026, ore 08:00");
  }

  TEST_CASE("sizes in the units mail apps show, with the language's decimal mark") {
    CHECK(format_size(512, Lang::En) == "512 bytes");
    CHECK(format_size(1, Lang::It) == "1 byte");
    CHECK(format_size(204800, Lang::En) == "200 KB");
    CHECK(format_size(1258291, Lang::En) == "1.2 MB");
    CHECK(format_size(1258291, Lang::It) == "1,2 MB");
    CHECK(format_size(3ull << 30, Lang::It) == "3 GB");
  }

  TEST_CASE("a settings change names the setting and both values") {
    const Event e{.kind = EventKind::SettingChanged, .device = "pc", .setting = Setting::ServerCopy,
                  .old_value = 7, .new_value = -1};
    CHECK(describe(e, Lang::En) == "setting changed: the copy on the server: deleted after downloading (was: kept for 7 days)");
    CHECK(describe(e, Lang::It) ==
          "impostazione cambiata: copia sul server: cancellata dopo il download (prima: lasciata sul server per 7 giorni)");
    const Event poll{.kind = EventKind::SettingChanged, .setting = Setting::PollEvery, .old_value = 0, .new_value = kMinute};
    CHECK(describe(poll, Lang::En) == "setting changed: check for mail: every minute (was: only when asked)");
    const Event often{.kind = EventKind::SettingChanged, .setting = Setting::PollEvery, .old_value = kMinute,
                      .new_value = 10 * kMinute};
    CHECK(describe(often, Lang::It) == "impostazione cambiata: controllo della posta: ogni 10 minuti (prima: ogni minuto)");
    const Event offline{.kind = EventKind::SettingChanged, .setting = Setting::Offline, .old_value = 0, .new_value = 1};
    CHECK(describe(offline, Lang::En) == "setting changed: keep messages on this computer: on (was: off)");
    CHECK(describe(offline, Lang::It) == "impostazione cambiata: mantieni i messaggi su questo computer: sì (prima: no)");
  }

  TEST_CASE("folders have the names mail apps give them") {
    CHECK(folder_name("INBOX", Lang::It) == "Posta in arrivo");
    CHECK(folder_name("Trash", Lang::It) == "Cestino");
    CHECK(folder_name("Sent", Lang::It) == "Posta inviata");
    CHECK(folder_name("INBOX", Lang::En) == "INBOX");
    CHECK(folder_name("Entw&APw-rfe", Lang::En) == "Entwürfe");  // modified UTF-7 decoded
  }

  TEST_CASE("the Italian transcripts of the example scenarios have no English event sentence") {
    const char* english[] = {" the ", " and ", " with ", " from ", "message", "folder", "server confirmed",
                             "connects", "disconnected", "downloaded", "removed", "stored", "backup taken",
                             "time passes", "flags now", "FAILED", " by "};
    for (const std::string& file : test::list_files(std::string(POSTINO_SOURCE_DIR) + "/lessons/scenarios", ".txt")) {
      CAPTURE(file);
      script::Parsed parsed = script::parse(test::read_file(file));
      REQUIRE(parsed.ok());
      script::Played played = script::play(parsed.scenario);
      for (const TraceEntry& t : played.world->trace()) {
        if (!t.what || t.what->kind == EventKind::Say) continue;
        Event e = *t.what;
        if (e.kind == EventKind::Check) e.text.clear();  // the trainer's own words
        const std::string it = describe(e, Lang::It);
        CAPTURE(it);
        for (const char* w : english) CHECK(it.find(w) == std::string::npos);
      }
      const std::string text = transcript(played.world->trace(), TranscriptFormat::Text, false, {}, Lang::It);
      CHECK(text.find(" expect * ") == std::string::npos);
      CHECK(text.find(" verifica * ok: ") != std::string::npos);
    }
  }
}

}  // namespace postino::world
