// The world on its own: links with latency, what the trace records, locks, crashes, backups.
#include <doctest/doctest.h>

#include "sim/world/narrate.hpp"
#include "sim/world/transcript.hpp"
#include "sim/world/world.hpp"
#include "support/fixtures.hpp"

namespace postino::world {
using test::count_events;
using test::device;
using test::kT0;
using test::one_account;

TEST_SUITE("world") {
  TEST_CASE("bytes take the link's latency; a phone is slower than a laptop") {
    World w(one_account(), kT0);
    Device& phone = w.add_device(device("phone", DeviceKind::Phone, Protocol::Pop3, 110, Security::Plain));
    Device& laptop = w.add_device(device("laptop", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain));
    w.get_mail(phone);
    w.settle();
    const Time phone_done = w.now();
    World w2(one_account(), kT0);
    Device& l2 = w2.add_device(device("laptop", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain));
    w2.get_mail(l2);
    w2.settle();
    CHECK(phone_done - kT0 > 8 * (w2.now() - kT0) / 2);  // 80 ms vs 10 ms a hop
    for (const TraceEntry& t : w.trace()) {
      if (t.kind != TraceEntry::Kind::Wire) continue;
      CHECK(t.arrived - t.sent >= latency_of(DeviceKind::Phone));
      CHECK_FALSE(t.tls);  // port 110 without STLS: plain text all the way
    }
    (void)laptop;
  }

  TEST_CASE("implicit TLS marks every line; STLS marks the lines after the handshake") {
    World w(one_account(), kT0);
    Device& a = w.add_device(device("a", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    Device& b = w.add_device(device("b", DeviceKind::Laptop, Protocol::Imap, 143, Security::StartTls));
    w.get_mail(a);
    w.settle();
    w.get_mail(b);
    w.settle();
    bool b_plain_before = false, b_tls_after = false, seen_handshake = false;
    for (const TraceEntry& t : w.trace()) {
      if (t.device == "b" && t.is_event(EventKind::TlsUpgraded)) seen_handshake = true;
      if (t.kind != TraceEntry::Kind::Wire) continue;
      if (t.device == "a") CHECK(t.tls);
      if (t.device == "b" && !seen_handshake) b_plain_before |= !t.tls;
      if (t.device == "b" && seen_handshake) b_tls_after |= t.tls;
      if (t.device == "b" && seen_handshake) CHECK(t.tls);
    }
    CHECK(b_plain_before);
    CHECK(b_tls_after);
    // The password never crosses in plain text on the STARTTLS connection.
    for (const TraceEntry& t : w.trace())
      if (t.kind == TraceEntry::Kind::Wire && t.device == "b" && !t.tls)
        CHECK(!t.text.contains("AUTHENTICATE"));
  }

  TEST_CASE("the trace holds a downloaded message by reference to the stored octets, not a copy") {
    mail::Store s = one_account();
    mail::Account& a = *s.find_account("info@tuodominio.it");
    s.append(a, a.inbox(), mail::make_message("Subject: uno\r\n\r\nciao\r\n"), 0, kT0, "test");
    s.append(a, a.inbox(), mail::make_message("Subject: due\r\n\r\n.punto\r\n"), 0, kT0, "test");
    const std::string* stored = &a.inbox().find(1)->message->text();
    World w(std::move(s), kT0);
    DeviceConfig keep = device("pop", DeviceKind::Laptop, Protocol::Pop3, 110, Security::Plain);
    keep.leave_on_server = true;
    Device& pop = w.add_device(keep);
    Device& imap = w.add_device(device("imap", DeviceKind::Laptop, Protocol::Imap, 143, Security::Plain));
    w.get_mail(pop);
    w.settle();
    w.open(imap, "INBOX", 1);
    w.settle();
    int shared = 0;
    bool stuffed_copied = false;
    for (const TraceEntry& t : w.trace()) {
      if (t.kind != TraceEntry::Kind::Wire || t.to_server) continue;
      t.text.for_each_piece([&](std::string_view p) { shared += p.data() == stored->data(); });
      // The second message has a line to dot-stuff: what went over the wire differs, so copied.
      if (t.text.contains("..punto")) stuffed_copied = !t.text.shared();
    }
    CHECK(shared == 2);  // POP3 RETR and IMAP BODY[]
    CHECK(stuffed_copied);
    CHECK(transcript(w.trace(), TranscriptFormat::Text, true).find("S: ciao") != std::string::npos);
  }

  TEST_CASE("settings: another protocol hangs up and starts the app over; polling follows the new interval") {
    mail::Store s = one_account();
    mail::Account& a = *s.find_account("info@tuodominio.it");
    s.append(a, a.inbox(), mail::make_message("Subject: uno\r\n\r\nciao\r\n"), 0, kT0, "test");
    World w(std::move(s), kT0);
    Device& d = w.add_device(device("pc", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    w.get_mail(d);
    w.settle();
    REQUIRE(d.pop_inbox().size() == 1);  // downloaded and deleted from the server (S9)
    CHECK(w.store().find_account("info@tuodominio.it")->inbox().count() == 0);
    w.deliver("info@tuodominio.it", "Subject: due\r\n\r\nciao\r\n");
    DeviceConfig imap = d.config();
    imap.protocol = Protocol::Imap;
    imap.port = 143;
    imap.security = Security::StartTls;
    imap.poll_every = 10 * kMinute;
    w.change_settings(d, imap);
    CHECK(d.imap_client() != nullptr);
    CHECK(d.pop_client() == nullptr);
    CHECK(d.pop_inbox().size() == 1);  // what POP3 took stays on the device, and only there
    const std::size_t before = w.trace().size();
    w.advance_to(kT0 + 25 * kMinute);  // two polls: the first connects over IMAP with STARTTLS
    w.settle();
    CHECK(d.count("INBOX") == 1);  // "due", from the server; "uno" is gone from there
    std::size_t lists = 0;  // one LIST a check
    for (std::size_t i = before; i < w.trace().size(); ++i) {
      const TraceEntry& t = w.trace()[i];
      if (t.kind == TraceEntry::Kind::Wire && t.to_server && t.text.contains("STARTTLS")) CHECK_FALSE(t.tls);
      if (t.kind == TraceEntry::Kind::Wire && t.to_server && t.text.contains(" LIST ")) ++lists;
    }
    CHECK(lists == 2);
    // Polling off: the clock moves on and nothing is asked any more; the app only renews its
    // IDLE before the server's 30-minute autologout (RFC 2177), and stays connected.
    imap.poll_every = 0;
    w.change_settings(d, imap);
    const std::size_t quiet = w.trace().size();
    w.advance_to(kT0 + 3 * kHour);
    w.settle();
    std::size_t renewals = 0;
    for (std::size_t i = quiet; i < w.trace().size(); ++i) {
      const TraceEntry& t = w.trace()[i];
      if (!t.to_server) continue;
      const bool done = t.text == "DONE\r\n", idle = t.text.contains(" IDLE\r\n");
      CHECK((done || idle));
      renewals += done;
    }
    CHECK(renewals == (3 * kHour - 25 * kMinute) / imap::Client::kIdleRenewal);
    CHECK(d.connected());
  }

  TEST_CASE("two POP3 devices at the same instant: the second finds the maildrop locked") {
    World w(one_account(), kT0);
    w.deliver("info@tuodominio.it", "Subject: one\r\n\r\nx\r\n");
    Device& a = w.add_device(device("a", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    Device& b = w.add_device(device("b", DeviceKind::Desktop, Protocol::Pop3, 995, Security::Tls));
    w.get_mail(a);
    w.get_mail(b);
    w.settle();
    CHECK(a.errors().size() + b.errors().size() == 1);
    const auto& err = a.errors().empty() ? b.errors() : a.errors();
    CHECK(err[0].problem == ClientProblem::MailboxInUse);
    CHECK(client_problem(err[0], Lang::En).find("in use") != std::string::npos);
  }

  TEST_CASE("a crash loses the local copies; a restore brings mail back as new UIDs") {
    World w(one_account(), kT0);
    Device& pc = w.add_device(device("pc", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    w.deliver("info@tuodominio.it", "Subject: fattura\r\n\r\nx\r\n");
    CHECK_FALSE(w.restore("info@tuodominio.it", kT0));  // no backup yet
    w.backup();
    w.get_mail(pc);
    w.settle();
    CHECK(pc.count("INBOX") == 1);
    CHECK(w.store().find_account("info")->inbox().count() == 0);
    w.crash(pc);
    CHECK(pc.count("INBOX") == 0);
    CHECK(count_events(w, EventKind::Crashed) == 1);
    CHECK(w.restore("info@tuodominio.it", w.now()));
    const auto& inbox = w.store().find_account("info")->inbox();
    REQUIRE(inbox.count() == 1);
    CHECK(inbox.messages()[0].uid == 2);  // a new UID: IMAP clients see it arrive
    CHECK(pc.crashed());
    w.get_mail(pc);  // a broken device does nothing until it is replaced, and says so
    w.settle();
    CHECK(pc.count("INBOX") == 0);
    CHECK(count_events(w, EventKind::Broken) == 1);
    w.replace(pc);
    CHECK_FALSE(pc.crashed());
    w.get_mail(pc);
    w.settle();
    CHECK(pc.count("INBOX") == 1);
  }

  TEST_CASE("POP3 folders live on the device only: made and filled there, gone with a crash (S13)") {
    World w(one_account(), kT0);
    Device& pc = w.add_device(device("pc", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    w.deliver("info@tuodominio.it", "Subject: Bolletta luce\r\n\r\nx\r\n");
    w.get_mail(pc);
    w.settle();
    w.create_folder(pc, "Bollette");
    w.create_folder(pc, "Bollette");  // already there: nothing new
    CHECK(pc.local_folders() == std::vector<std::string>{"Bollette"});
    CHECK(count_events(w, EventKind::LocalFolderCreated) == 1);
    w.move(pc, "INBOX", 1, "Nowhere");  // no such folder on the device
    CHECK(pc.count("INBOX") == 1);
    w.move(pc, "INBOX", 1, "Bollette");
    CHECK(pc.count("INBOX") == 0);
    CHECK(pc.subjects("Bollette") == std::vector<std::string>{"Bolletta luce"});
    CHECK(count_events(w, EventKind::MovedOnDevice) == 1);
    CHECK(w.store().find_account("info")->folder("Bollette") == nullptr);  // the server never heard of it
    w.crash(pc);
    CHECK(pc.local_folders().empty());
    CHECK(pc.count("Bollette") == 0);
  }

  TEST_CASE("what leaves a device's folders is recorded: POP3 deletes and moves, an IMAP app's copy following the server") {
    World w(one_account(), kT0);
    Device& pc = w.add_device(device("pc", DeviceKind::Laptop, Protocol::Pop3, 995, Security::Tls));
    Device& phone = w.add_device(device("phone", DeviceKind::Phone, Protocol::Imap, 993, Security::Tls));
    w.deliver("info@tuodominio.it", "Subject: Bolletta luce\r\n\r\nx\r\n");
    w.get_mail(phone);
    w.settle();
    w.get_mail(pc);  // POP3 takes it off the server; the phone, in IDLE, sees it vanish
    w.settle();
    std::vector<const Event*> gone;
    for (const TraceEntry& t : w.trace())
      if (t.is_event(EventKind::GoneFromView)) gone.push_back(t.what.get());
    REQUIRE(gone.size() == 1);
    CHECK(gone[0]->device == "phone");
    CHECK(gone[0]->folder == "INBOX");
    CHECK(gone[0]->subject == "Bolletta luce");
    CHECK(describe(*gone[0], Lang::En) == "\"Bolletta luce\" is no longer in \"INBOX\" on this device: the app follows the server");
    CHECK(describe(*gone[0], Lang::It) == "«Bolletta luce» non è più in «Posta in arrivo» su questo dispositivo: l'app segue il server");
    CHECK(phone.count("INBOX") == 0);
    // POP3: a move names where it came from and where it went; a delete, the folder it left.
    w.create_folder(pc, "Bollette");
    w.move(pc, "INBOX", 1, "Bollette");
    w.remove(pc, "Bollette", 1);
    const Event* moved = nullptr;
    const Event* deleted = nullptr;
    for (const TraceEntry& t : w.trace()) {
      if (t.is_event(EventKind::MovedOnDevice)) moved = t.what.get();
      if (t.is_event(EventKind::DeletedOnDevice)) deleted = t.what.get();
    }
    REQUIRE(moved);
    REQUIRE(deleted);
    CHECK(moved->folder == "INBOX");
    CHECK(moved->to_folder == "Bollette");
    CHECK(describe(*moved, Lang::En).starts_with("moved \"Bolletta luce\" from \"INBOX\" to \"Bollette\" on the device only"));
    CHECK(describe(*moved, Lang::It).starts_with("messaggio «Bolletta luce» spostato da «Posta in arrivo» a «Bollette» solo sul dispositivo"));
    CHECK(deleted->folder == "Bollette");
  }

  TEST_CASE("the outgoing server's port is a setting: one event, used from the next send") {
    World w(one_account(), kT0);
    Device& pc = w.add_device(device("pc", DeviceKind::Laptop, Protocol::Imap, 993, Security::Tls));
    w.send(pc, "cliente@example.com", "Subject: Uno\r\n\r\nx\r\n");
    w.settle();
    DeviceConfig c = pc.config();
    c.smtp_port = 465;
    w.change_settings(pc, c);
    CHECK(pc.config().smtp_port == 465);
    const Event* changed = nullptr;
    for (const TraceEntry& t : w.trace())
      if (t.is_event(EventKind::SettingChanged)) changed = t.what.get();
    REQUIRE(changed);
    CHECK(count_events(w, EventKind::SettingChanged) == 1);
    CHECK(changed->setting == Setting::SmtpPort);
    CHECK(describe(*changed, Lang::En) ==
          "setting changed: outgoing server (SMTP): port 465, TLS from the start (was: port 587, upgraded to TLS with STARTTLS)");
    CHECK(describe(*changed, Lang::It) ==
          "impostazione cambiata: server in uscita (SMTP): porta 465, TLS dall'inizio (prima: porta 587, passaggio a TLS con STARTTLS)");
    w.send(pc, "cliente@example.com", "Subject: Due\r\n\r\nx\r\n");
    w.settle();
    std::vector<std::pair<int, Security>> connections;  // the SMTP ones
    for (const TraceEntry& t : w.trace())
      if (t.is_event(EventKind::Connected) && t.what->protocol == Protocol::Smtp) connections.emplace_back(t.what->port, t.what->security);
    CHECK(connections == std::vector<std::pair<int, Security>>{{587, Security::StartTls}, {465, Security::Tls}});
    CHECK(count_events(w, EventKind::MailSent) == 2);
  }

  TEST_CASE("nightly backups run on their timer; disk use is recorded") {
    World w(one_account(), kT0);  // 08:00: the first 03:00 is tomorrow's
    w.schedule_backups(3 * kHour);
    w.deliver("info@tuodominio.it", "Subject: a\r\n\r\n" + std::string(1000, 'x') + "\r\n");
    w.advance_to(kT0 + 2 * kDay);
    REQUIRE(w.backups().size() == 2);
    CHECK(w.backups()[0].taken == kT0 + 19 * kHour);
    CHECK(w.backups()[1].taken == kT0 + kDay + 19 * kHour);
    REQUIRE_FALSE(w.disk_use().empty());
    CHECK(w.disk_use().back().second > 1000);
  }

  TEST_CASE("over quota, delivery bounces and the trace says so") {
    mail::Store s("tuodominio.it", 100);
    s.add_account("info@tuodominio.it", "segreta", 500);
    World w(std::move(s), kT0);
    CHECK_FALSE(w.deliver("info@tuodominio.it", "Subject: big\r\n\r\n" + std::string(600, 'x')).accepted);
    CHECK(count_events(w, EventKind::Bounced) == 1);
  }
}

}  // namespace postino::world
