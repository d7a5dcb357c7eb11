// The Italian formatter: written in Italian, not translated word for word. Folder names are the
// ones Italian mail apps show (Posta in arrivo, Cestino...), numbers use Italian separators.
#include <algorithm>
#include <cctype>

#include "sim/mail/flags.hpp"
#include "sim/world/narrate.hpp"

namespace postino::world::detail {
namespace {

constexpr Lang kLang = Lang::It;

std::string q(const std::string& s) { return "«" + s + "»"; }
std::string where(const Event& e) { return e.account + ", " + folder_name(e.folder, kLang); }
std::string list(const std::vector<std::string>& v) { return quoted_list(v, "«", "»", "nulla"); }
std::string messages(std::uint64_t n) { return count_of(n, kLang, "messaggio", "messaggi"); }

std::string by(const Event& e) {
  if (e.actor.empty()) return {};
  if (e.actor == "restore") return " (dal ripristino)";
  if (e.actor == "delivery") return " (dalla consegna)";
  // A session: "pop3 #2" reads as "la sessione POP3 n. 2" (not "da", which also means "from").
  const auto hash = e.actor.find(" #");
  if (hash == std::string::npos) return " (" + e.actor + ")";
  std::string proto = e.actor.substr(0, hash);
  for (char& c : proto) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return " (sessione " + proto + " n. " + e.actor.substr(hash + 2) + ")";
}

std::string protocol(Protocol p) { return p == Protocol::Pop3 ? "POP3" : p == Protocol::Imap ? "IMAP" : "SMTP"; }

std::string security(Security s) {
  switch (s) {
    case Security::Tls: return "TLS dall'inizio";
    case Security::StartTls: return "passaggio a TLS con STARTTLS";
    case Security::Plain: return "testo in chiaro";
  }
  return {};
}

std::string server_copy(std::int64_t days) {
  if (days < 0) return "cancellata dopo il download";
  if (days == 0) return "lasciata sul server";
  return "lasciata sul server per " + count_of(static_cast<std::uint64_t>(days), kLang, "giorno", "giorni");
}

std::string setting_value(Setting s, std::int64_t v) {
  switch (s) {
    case Setting::ServerCopy: return server_copy(v);
    case Setting::DeleteWhenDeletedHere:
    case Setting::Idle:
    case Setting::Offline: return v ? "sì" : "no";
    case Setting::DeleteMode: return v ? "segna \\Deleted ed esegue EXPUNGE" : "sposta nel Cestino";
    case Setting::PollEvery:
      if (v <= 0) return "solo a richiesta";
      if (v % kMinute) return "ogni " + count_of(static_cast<std::uint64_t>(v / kSecond), kLang, "secondo", "secondi");
      return v == kMinute ? "ogni minuto" : "ogni " + count_of(static_cast<std::uint64_t>(v / kMinute), kLang, "minuto", "minuti");
    case Setting::Port: return std::to_string(v);
    case Setting::Security: return security(static_cast<Security>(v));
    case Setting::Password: return "(nascosta)";
    case Setting::SmtpPort: return v == 465 ? "porta 465, TLS dall'inizio" : "porta " + std::to_string(v) + ", passaggio a TLS con STARTTLS";
  }
  return {};
}

const char* setting_name(Setting s) {
  switch (s) {
    case Setting::ServerCopy: return "copia sul server";
    case Setting::DeleteWhenDeletedHere: return "elimina dal server quando elimino qui";
    case Setting::Idle: return "push con IDLE";
    case Setting::DeleteMode: return "eliminare";
    case Setting::PollEvery: return "controllo della posta";
    case Setting::Port: return "porta";
    case Setting::Security: return "sicurezza";
    case Setting::Password: return "password";
    case Setting::SmtpPort: return "server in uscita (SMTP)";
    // Thunderbird italiano: «Mantieni i messaggi di questo account su questo computer».
    case Setting::Offline: return "mantieni i messaggi su questo computer";
  }
  return "";
}

// The SMTP reply's codes ("552 5.2.2 mailbox full"), with the enhanced status code (RFC 3463)
// said in words: the reply's English text is the sending server's, not ours to show.
std::string bounce_reason(const std::string& reply) {
  const std::string codes = reply.substr(0, reply.find(' ', reply.find(' ') + 1));
  if (codes.ends_with("5.2.2")) return "la casella è piena, quota superata (" + codes + ")";
  if (codes.ends_with("5.1.1")) return "la casella non esiste (" + codes + ")";
  return "rifiutato dal server (" + codes + ")";
}

std::string who(const Event& e) { return e.device.empty() ? "server " + e.account : e.device; }

// "27/11/2026, ore 09:00": the hour said as Italians say it.
std::string at(Time t) {
  const std::string s = format_when(t, kLang);
  return s.substr(0, 10) + ", ore " + s.substr(11);
}

// `expect DEVICE setting NAME VALUE`: the name and value as the app's settings say them.
std::string setting_label(const std::string& name) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"protocol", "protocollo"}, {"port", "porta"}, {"security", "sicurezza"},
      {"keep-days", "giorni di copia sul server"}, {"leave-on-server", "lascia una copia sul server"},
      {"delete-when-deleted", "elimina dal server quando elimino qui"}, {"idle", "push con IDLE"},
      {"offline", "mantieni i messaggi su questo computer"},
      {"delete", "eliminare"}, {"poll", "controllo della posta"}, {"smtp", "server in uscita (SMTP)"},
      {"offline", "mantieni i messaggi su questo computer"}};
  for (const auto& [en, it] : kNames)
    if (name == en) return it;
  return name;
}
std::string setting_word(const std::string& value) {
  static const std::pair<const char*, const char*> kWords[] = {
      {"on", "sì"}, {"off", "no"}, {"plain", "nessuna"}, {"starttls", "STARTTLS"}, {"tls", "TLS dall'inizio"},
      {"trash", "sposta nel Cestino"}, {"expunge", "elimina per sempre (EXPUNGE)"}, {"pop3", "POP3"}, {"imap", "IMAP"}};
  for (const auto& [en, it] : kWords)
    if (value == en) return it;
  return value;
}

// A date after "il", "dal", "del", "al": elided before the days read with a vowel ("l'8/12",
// "dall'11/12"), as Italian writes them.
std::string on(std::string_view article, Time t) {
  const std::string s = at(t);
  if (!s.starts_with("08/") && !s.starts_with("11/")) return std::string(article) + " " + s;
  const std::string a(article);
  return (a == "il" ? std::string("l") : a == "dal" ? "dall" : a == "del" ? "dell" : "all") + "'" + s;
}

}  // namespace

// The server's reply without its English words: the status and response codes ("-ERR [AUTH]",
// "NO [OVERQUOTA]") are protocol, the text after them is the server's prose.
std::string codes(const std::string& reply) {
  std::string out;
  std::size_t at = 0;
  while (at < reply.size()) {
    const std::size_t end = std::min(reply.find(' ', at), reply.size());
    const std::string word = reply.substr(at, end - at);
    if (std::any_of(word.begin(), word.end(), [](unsigned char c) { return c >= 'a' && c <= 'z'; })) break;
    out += (out.empty() ? "" : " ") + word;
    at = end + 1;
  }
  return out.empty() ? std::string() : " (" + out + ")";
}

std::string problem_it(const Event& e) {
  const bool pop = e.protocol == Protocol::Pop3;
  const std::string tls = pop ? "STLS" : "STARTTLS";
  const std::string r = codes(e.text);
  switch (e.problem) {
    case ClientProblem::Refused: return "il server ha rifiutato la connessione" + r;
    case ClientProblem::AuthFailed: return "accesso non riuscito, controlla la password" + r;
    case ClientProblem::NoApop: return "il server non offre APOP (nel saluto manca il timestamp)";
    case ClientProblem::MailboxInUse: return "la casella è già aperta da un altro programma POP3" + r;
    case ClientProblem::TlsNotOffered: return "il server non offre " + tls + ": la password non parte in chiaro";
    case ClientProblem::TlsRefused: return tls + " rifiutato" + r;
    case ClientProblem::PlaintextDisabled:
      return std::string("il server accetta la password solo su una connessione cifrata: imposta l'account su ") +
             (pop ? "STARTTLS (porta 110) o SSL/TLS (porta 995)" : "STARTTLS (porta 143) o SSL/TLS (porta 993)");
    case ClientProblem::CommandFailed: return e.command + " non riuscito" + r;
    case ClientProblem::OverQuota: return "casella piena: il server ha rifiutato " + e.command + r;
    case ClientProblem::NoUidl: return "il server non supporta UIDL: la posta già scaricata non si distingue dalla nuova";
    case ClientProblem::QuitFailed: return "QUIT non riuscito, le cancellazioni potrebbero non essere avvenute" + r;
    case ClientProblem::Unexpected:
      return e.command.empty() ? "dati inattesi dal server" : "risposta inattesa a " + e.command;
    case ClientProblem::ConnectionLost:
      return pop ? "la connessione è caduta prima del QUIT: il server non ha cancellato nulla"
                 : "la connessione con il server si è interrotta";
  }
  return {};
}

std::string check_it(const Event& e) {
  const bool ok = e.ok;
  switch (e.check) {
    case CheckKind::Count:
      return who(e) + ", " + folder_name(e.folder, kLang) + ": " + messages(e.expected) +
             (ok ? "" : ", ma ce ne sono " + format_count(e.seen, kLang));
    case CheckKind::Has:
    case CheckKind::Lacks:
      return who(e) + ", " + folder_name(e.folder, kLang) + (e.check == CheckKind::Has ? ": c'è " : ": non c'è ") +
             q(e.text) + (ok ? "" : "; ci sono: " + list(e.items));
    case CheckKind::UsedBelow:
    case CheckKind::UsedAbove:
      return "server " + e.account + ": usa " + (e.check == CheckKind::UsedBelow ? "meno" : "più") + " di " +
             format_size(e.expected, kLang) + (ok ? "" : "; ne usa " + format_size(e.seen, kLang) + " (" + format_count(e.seen, kLang) + " ottetti)");
    case CheckKind::TraceHas: {
      const std::string since = e.when ? " " + on("dal", e.when) : "";
      if (e.count == 1 || e.count == 2)  // a device's lines one way
        return e.device + (e.expected ? " ha " : " non ha mai ") + (e.count == 1 ? "inviato" : "ricevuto") + " una riga con " +
               q(e.text) + since + (ok ? "" : e.expected ? ", ma non l'ha fatto" : ", ma l'ha fatto");
      const std::string where = e.device.empty() ? "nella trascrizione" : "tra le righe di " + e.device;
      return where + since + (e.expected ? " c'è " : " non c'è ") + q(e.text) +
             (ok ? "" : e.expected ? ", ma non compare" : ", ma compare");
    }
    case CheckKind::Error:
      if (!e.expected) return e.device + " non mostra errori" + (ok ? "" : "; ne mostra: " + list(e.items));
      return e.device + " mostra un errore con " + q(e.text) + (ok ? "" : "; errori dall'ultima connessione: " + list(e.items));
    case CheckKind::Bounces:
      return "messaggi respinti" + (e.account.empty() ? std::string() : " per " + e.account) + ": " + format_count(e.expected, kLang) +
             (ok ? "" : ", ma sono stati " + format_count(e.seen, kLang));
    case CheckKind::Removed: {
      const std::string limit = e.when ? (e.expected ? " prima " + on("del", e.when) : " " + on("dal", e.when) + " in poi") : "";
      return who(e) + ", " + folder_name(e.folder, kLang) + ": " + q(e.text) + " è uscito dalla cartella" + limit +
             (ok ? "" : !e.items.empty() ? ", ma è ancora lì" : !e.count ? ", ma non ne è mai uscito" : ", ma ne è uscito l'ultima volta " + on("il", static_cast<Time>(e.seen)));
    }
    case CheckKind::NoSuchMessage:
      return e.device + " non ha un solo messaggio " + q(e.text) + " in " + folder_name(e.folder, kLang) +
             " (ci sono: " + list(e.items) + ")";
    case CheckKind::Late:
      return "la riga " + std::to_string(e.line) + " chiede " + on("il", e.when) + ", ma l'orologio segna già " +
             on("il", static_cast<Time>(e.seen));
    case CheckKind::Flags: {  // count: 1 when the message is there
      const std::string had = mail::flags_to_string(static_cast<mail::Flags>(e.seen));
      return who(e) + ", " + folder_name(e.folder, kLang) + ": " + q(e.text) + (e.expected ? " con " : " senza ") +
             mail::flags_to_string(e.flags) +
             (ok ? "" : e.count ? "; i suoi flag: " + (had.empty() ? std::string("nessuno") : had) : "; non c'è, ci sono: " + list(e.items));
    }
    case CheckKind::Uid:
      return "server " + e.account + ", " + folder_name(e.folder, kLang) + ": " + q(e.text) + " ha l'UID " +
             std::to_string(e.expected) + (ok ? "" : e.seen ? ", ma il suo UID è " + std::to_string(e.seen) : ", ma non c'è");
    case CheckKind::Folder:
      return who(e) + (e.expected ? ": c'è la cartella " : ": non c'è la cartella ") + q(folder_name(e.folder, kLang)) +
             (ok ? "" : "; le sue cartelle: " + list(e.items));
    case CheckKind::Setting:
      if (e.text == "password" && e.items.size() == 2) {  // current or old, never the password itself
        if (e.items[0] == "current")
          return e.device + " ha la password attuale dell'account" + (ok ? "" : ", ma ne ha una vecchia: il server la rifiuta all'accesso");
        return e.device + " ha ancora una vecchia password, non quella attuale dell'account" + (ok ? "" : ", ma ha quella attuale");
      }
      return e.device + ", impostazione " + q(setting_label(e.text)) + ": " + (e.items.empty() ? "" : setting_word(e.items[0])) +
             (ok || e.items.size() < 2 ? "" : ", ma è " + setting_word(e.items[1]));
    case CheckKind::Sent:
      return e.device + (e.expected ? " ha inviato una riga con " : " non ha mai inviato una riga con ") + q(e.text) +
             (ok ? "" : e.expected ? ", ma non l'ha fatto" : ", ma l'ha fatto");
  }
  return {};
}

std::string describe_it(const Event& e) {
  switch (e.kind) {
    case EventKind::Connected:
      return "si collega al server: " + protocol(e.protocol) + " sulla porta " + std::to_string(e.port) +
             (e.security == Security::Tls        ? ", cifrato con TLS dall'inizio"
              : e.security == Security::StartTls ? ", poi passa a TLS"
                                                 : ", in chiaro: chiunque sulla rete può leggere tutto");
    case EventKind::TlsAtConnect: return "handshake TLS: da qui in poi sulla rete viaggiano solo dati cifrati";
    case EventKind::TlsUpgraded: return "handshake TLS completato: da qui in poi sulla rete viaggiano solo dati cifrati";
    case EventKind::Disconnected: return e.protocol == Protocol::Smtp ? "si disconnette dal server SMTP" : "si disconnette";
    case EventKind::DisconnectedForSettings: return "si disconnette per usare le nuove impostazioni";
    case EventKind::ConnectionCut:
      return "la connessione cade subito dopo la risposta del server a " + q(e.command) +
             (e.protocol != Protocol::Pop3 ? std::string(": il programma dovrà ricollegarsi")
              : e.count == 0 ? std::string(", prima del QUIT: la sessione non arriva allo stato UPDATE, quindi il server non cancella niente")
                             : ", prima del QUIT: la sessione non arriva allo stato UPDATE, quindi " +
                                   (e.count == 1 ? std::string("il messaggio segnato con DELE resta")
                                                 : "i " + messages(e.count) + " segnati con DELE restano") +
                                   " sul server");
    case EventKind::Downloaded: return "scarica il messaggio e lo salva sul dispositivo: " + q(e.subject);
    case EventKind::DeletedAtQuit:
      return "al QUIT il server conferma: messaggio " +
             (e.subject.empty() ? e.text : q(e.subject) + " (UIDL " + e.text + ")") + " cancellato dal server";
    case EventKind::ClientError: return "errore mostrato all'utente: " + problem_it(e);
    case EventKind::DeletedOnDevice:
      return "messaggio eliminato sul dispositivo: " + q(e.subject) +
             (e.server_told ? " (la copia sul server sparirà al prossimo download)" : " (il server non ne sa nulla)");
    case EventKind::LocalFolderCreated:
      return "cartella " + q(folder_name(e.folder, kLang)) + " creata solo sul dispositivo: POP3 non sincronizza le cartelle";
    case EventKind::TrashRecreated:
      return "il Cestino non c'è più: l'app ricrea " + q(folder_name(e.folder, kLang)) +
             " sul server e ci sposta il messaggio, come fa Thunderbird";
    case EventKind::Broken: return "il dispositivo è guasto: non succede nulla finché non viene sostituito";
    case EventKind::MovedOnDevice:
      return "messaggio " + q(e.subject) + " spostato da " + q(folder_name(e.folder, kLang)) + " a " + q(folder_name(e.to_folder, kLang)) +
             " solo sul dispositivo: il server ha la sua copia, o nessuna";
    case EventKind::SettingChanged:
      if (e.setting == Setting::Password) return "impostazione cambiata: la password (usata dal prossimo accesso)";
      return std::string("impostazione cambiata: ") + setting_name(e.setting) + ": " +
             setting_value(e.setting, e.new_value) + " (prima: " + setting_value(e.setting, e.old_value) + ")";
    case EventKind::ProtocolChanged:
      return "ora usa " + protocol(e.protocol) + " sulla porta " + std::to_string(e.port) +
             ": l'app ricomincia da capo con quel protocollo";
    case EventKind::Crashed: return "si è rotto: il dispositivo e ogni messaggio salvato solo lì sono persi";
    case EventKind::Replaced: return "sostituito da un dispositivo nuovo, con le stesse impostazioni e ancora senza posta";
    case EventKind::MailSent:
      return "ha inviato " + q(e.subject) + " a " + quoted_list(e.items, "", "", "nessuno") + ": il server l'ha accettato" + codes(e.text);
    case EventKind::SentHereOnly:
      return "ha salvato una copia di " + q(e.subject) + " in Posta inviata solo su questo dispositivo: con POP3 sul server non resta nessuna copia";
    case EventKind::DeviceAdded:
      return "si aggiunge un nuovo dispositivo" + (e.text.empty() ? "" : ": " + e.text) + " con " + protocol(e.protocol) + " sulla porta " + std::to_string(e.port);
    case EventKind::GoneFromView:
      return q(e.subject) + " non è più in " + q(folder_name(e.folder, kLang)) + " su questo dispositivo: l'app segue il server";
    case EventKind::SentOut: return "messaggio per " + e.account + " inoltrato su Internet" + by(e);
    case EventKind::PasswordChanged:
      return "la password di " + e.account + " è stata cambiata: le app che usano ancora quella vecchia non riescono più ad accedere";
    case EventKind::LoginFailed: return "accesso non riuscito per " + q(e.account);
    case EventKind::Delivered: return "nuovo messaggio per " + where(e) + ", UID " + std::to_string(e.uid);
    case EventKind::Bounced: return "messaggio per " + e.account + " respinto: " + bounce_reason(e.text);
    case EventKind::Stored: return "salvato in " + where(e) + ", UID " + std::to_string(e.uid) + by(e);
    case EventKind::FlagsChanged:
      return where(e) + ", UID " + std::to_string(e.uid) + ": ora i flag sono (" + mail::flags_to_string(e.flags) + ")" + by(e);
    case EventKind::Expunged: return "eliminato per sempre da " + where(e) + ": UID " + std::to_string(e.uid) + by(e);
    case EventKind::FolderCreated: return "cartella creata: " + where(e) + by(e);
    case EventKind::FolderDeleted: return "cartella eliminata: " + where(e) + by(e);
    case EventKind::FolderRenamed:
      return "cartella rinominata: " + where(e) + " → " + folder_name(e.to_folder, kLang) + by(e);
    case EventKind::BackupTaken:
      return std::string(e.nightly ? "backup notturno eseguito (" : "backup eseguito (") + messages(e.count) + ")";
    case EventKind::Restored:
      return std::string(e.count == 1 ? "ripristinato " : "ripristinati ") + messages(e.count) + " di " + e.account +
             " dal backup " + on("del", e.when);
    case EventKind::RestoreImpossible:
      return "ripristino di " + e.account + " impossibile: nessun backup precedente " + on("al", e.when);
    case EventKind::TimePasses: return "passa il tempo: ora è " + on("il", e.when);
    case EventKind::Say: return e.text_it.empty() ? e.text : e.text_it;
    case EventKind::Check:
      return (e.ok ? std::string("ok: ") : "NON RIUSCITA (riga " + std::to_string(e.line) + "): ") + check_it(e);
  }
  return {};
}

}  // namespace postino::world::detail
