#include "gui/i18n.hpp"

#include "sim/world/narrate.hpp"

#include <cstring>
#include <string_view>
#include <unordered_map>

namespace postino::gui {
namespace {

Lang g_lang = Lang::En;

const std::unordered_map<std::string_view, const char*>& italian() {
  static const std::unordered_map<std::string_view, const char*> t = {
      {"Network", "Rete"},
      {"Transcript", "Trascrizione"},
      {"Devices", "Dispositivi"},
      {"Server", "Server"},
      {"Timeline", "Tempo"},
      {"Get mail", "Scarica posta"},
      {"Crash", "Simula un guasto"},
      {"Replace", "Sostituisci"},
      {"Create", "Crea"},
      {"new folder", "nuova cartella"},
      {"Open", "Apri"},
      {"Delete", "Elimina"},
      {"Flag", "Contrassegna"},
      {"Move to...", "Sposta in..."},
      {"connected", "connesso"},
      {"your mail client", "il tuo programma di posta"},
      {"mail app", "app di posta"},  // a device whose scenario names no app
      {"On the server", "Sul server"},
      {"Webmail", "Webmail"},
      {"Logged in to the webmail as", "Nella webmail come"},
      {"Mark as read", "Segna come letto"},
      {"Empty Trash", "Svuota il Cestino"},
      {"(empty)", "(vuota)"},
      {"(no subject)", "(senza oggetto)"},
      {"bytes", "byte"},
      {"[... %zu more records, %zu bytes ...]", "[... altri %zu record, %zu byte ...]"},
      {"[... more lines ...]", "[... altre righe ...]"},
      {"Reset layout", "Ripristina la disposizione"},
      // The lesson panel and Scenario > Open.
      {"Lesson", "Lezione"},
      {"Story", "Storia"},
      {"Step %zu of %zu", "Passo %zu di %zu"},
      {"a step already done", "passo già svolto"},
      {"More than one answer may be right.", "Le risposte giuste possono essere più di una."},
      {"Right!", "Giusto!"},
      {"Not quite: try again.", "Non proprio: riprova."},
      {"Not what happens: watch the network.", "Non va così: guarda la rete."},
      {"Check answer", "Verifica la risposta"},
      {"Answer once it has played: the answer is about what the window shows.",
       "Rispondi quando ha finito di scorrere: la risposta riguarda ciò che mostra la finestra."},
      {"Lesson complete", "Lezione completata"},
      {"The story is over", "La storia è finita"},
      {"What it showed of the guide:", "Punti della guida mostrati:"},
      {"%zu of %zu right the first time", "%zu su %zu giuste al primo colpo"},
      {"Hint", "Suggerimento"},
      {"Show a hint", "Mostra un suggerimento"},
      {"Done.", "Fatto."},
      {"Previous", "Indietro"},
      {"Next", "Avanti"},
      {"Finish", "Concludi"},
      {"Do the task to go on", "Svolgi il compito per andare avanti"},
      {"Answer to go on", "Rispondi per andare avanti"},
      {"Scenarios", "Scenari"},
      {"Lessons", "Lezioni"},
      {"Support stories", "Storie di assistenza"},
      {"You finished this lesson", "Hai completato questa lezione"},
      {"Downloaded earlier with POP3 (on this device only)", "Scaricata prima con POP3 (solo su questo dispositivo)"},
      {"Server settings", "Impostazioni del server"},
      {"Outgoing server (SMTP)", "Server in uscita (SMTP)"},
      {"SSL/TLS, port", "SSL/TLS, porta"},
      {"None (plain text), port", "Nessuna (testo in chiaro), porta"},
      {"check every N minutes (0: only when asked)", "controlla ogni N minuti (0: solo a richiesta)"},
      {"Another protocol: the app starts over, as a new account would",
       "Un altro protocollo: l'app ricomincia da capo, come un nuovo account"},
      {"What a listener sees", "Cosa vede chi ascolta"},
      {"handshake", "handshake"},
      {"application data", "dati cifrati"},
      {"Lines sent under TLS are shown as the encrypted records someone on the network would capture; plain text (ports 110 and 143 without STLS/STARTTLS) stays readable, passwords included.",
       "Le righe inviate con TLS appaiono come i record cifrati che catturerebbe chi ascolta in rete; il testo in "
       "chiaro (porte 110 e 143 senza STLS/STARTTLS) resta leggibile, password comprese."},
      {"A TLS record: 16 = handshake, 17 = application data, then the version (03 03) and the length. The rest is encrypted: without the keys it means nothing.",
       "Un record TLS: 16 = handshake, 17 = dati dell'applicazione, poi la versione (03 03) e la lunghezza. Il "
       "resto è cifrato: senza le chiavi non significa nulla."},
      {"Your mail client can connect", "Il tuo programma di posta può collegarsi"},
      {"A real mail client, connected from outside Postino. Its commands are in the transcript and travel on the network view; its messages live in that program.",
       "Un vero programma di posta, collegato da fuori Postino. I suoi comandi sono nella trascrizione e viaggiano "
       "nella vista di rete; i suoi messaggi stanno in quel programma."},
      {"port", "porta"},
      {"not connected", "non connesso"},
      {"in INBOX", "in arrivo"},
      {"message", "messaggio"},
      {"messages", "messaggi"},
      {"used", "usati"},
      {"of", "di"},
      {"encrypted (TLS)", "cifrato (TLS)"},
      {"plain text", "in chiaro"},
      {"New mail for", "Nuova posta per"},
      {"Backup now", "Backup ora"},
      {"Backups", "Backup"},
      {"Restore", "Ripristina"},
      {"INBOX (on this device only)", "Posta in arrivo (solo su questo dispositivo)"},
      {"The device breaks: everything stored only on it is lost",
       "Il dispositivo si rompe: si perde tutto ciò che era solo lì"},
      {"A new, empty device with the same settings", "Un dispositivo nuovo, vuoto, con le stesse impostazioni"},
      {"Back to the start", "Torna all'inizio"},
      {"One line back (Left arrow)", "Una riga indietro (freccia sinistra)"},
      {"Pause (Space)", "Pausa (Spazio)"},
      {"Play (Space)", "Avvia (Spazio)"},
      {"One line forward (Right arrow)", "Una riga avanti (freccia destra)"},
      {"To the end", "Alla fine"},
      {"+1 h", "+1 ora"},
      {"+1 day", "+1 giorno"},
      {"+7 days", "+7 giorni"},
      {"speed %sx", "velocità %sx"},
      {"New order", "Nuovo ordine"},
      {"How fast the story plays: from a quarter of real time to 8 times", "La velocità della storia: da un quarto del tempo reale a 8 volte"},
      {"line %zu", "riga %zu"},
      {"Sent by the device to the server", "Inviato dal dispositivo al server"},
      {"Sent by the server to the device", "Inviato dal server al dispositivo"},
      {"Encrypted on the wire (shown decrypted)", "Cifrato sulla rete (mostrato decifrato)"},
      {"Plain text: readable on the network", "In chiaro: leggibile da chiunque sulla rete"},
      {"View", "Vista"},
      {"Presenter mode (large text)", "Modalità presentazione (testo grande)"},
      {"Dark theme", "Tema scuro"},
      {"Language", "Lingua"},
      {"Scenario", "Scenario"},
      {"Open file...", "Apri file..."},
      {"Reset (Ctrl+R)", "Ricomincia (Ctrl+R)"},
      {"Quit", "Esci"},
      {"Open a scenario file", "Apri un file di scenario"},
      {"Choose a file...", "Scegli un file..."},
      {"(encrypted records: in the desktop program only)", "(record cifrati: solo nel programma desktop)"},
      {"Cancel", "Annulla"},
      {"All devices", "Tutti i dispositivi"},
      {"Settings", "Impostazioni"},
      {"disk used", "disco usato"},
      {"New mail", "Nuova posta"},
      {"Sequence", "Sequenza"},
      {"Lines", "Righe"},
      {"Apply", "Applica"},
      {"POP3: what happens on the server after downloading", "POP3: cosa succede sul server dopo il download"},
      {"Leave a copy of messages on the server", "Lascia una copia dei messaggi sul server"},
      {"days (0: until deleted here)", "giorni (0: finché non li elimino qui)"},
      {"Delete from the server when I delete it here", "Elimina dal server quando lo elimino qui"},
      {"Push: wait for news with IDLE", "Push: attendi le novità con IDLE"},
      {"Keep messages on this computer (bodies downloaded with the headers)",
       "Conserva i messaggi su questo computer (scarica il testo insieme alle intestazioni)"},
      {"Delete moves to Trash", "Eliminare sposta nel Cestino"},
      {"Delete marks \\Deleted and expunges", "Eliminare segna \\Deleted ed esegue EXPUNGE"},
      {"POP3 and IMAP side by side", "POP3 e IMAP a confronto"},
      {"Everything on POP3", "Tutto in POP3"},
      {"Everything on IMAP", "Tutto in IMAP"},
      {"Server (POP3)", "Server (POP3)"},
      {"Server (IMAP)", "Server (IMAP)"},
      {"Copy", "Copia"},
      {"Save as text", "Salva come testo"},
      {"Save as Markdown", "Salva come Markdown"},
      {"Saved", "Salvato"},
      {"Expectation failed", "Verifica non riuscita"},
      {"Save the transcript", "Salva la trascrizione"},
      {"Save the scenario", "Salva lo scenario"},
      {"Save scenario...", "Salva lo scenario..."},
      {"Undo my last click", "Annulla il mio ultimo clic"},
      {"Restore the script", "Ripristina il copione"},
      {"You changed the story: the rest of the script (%zu statements) is set aside.",
       "Hai cambiato la storia: il resto del copione (%zu istruzioni) è messo da parte."},
      {"Drops your clicks and goes back to the scripted story from where you changed it. "
       "Ctrl+Z takes back only your last click.",
       "Toglie i tuoi clic e torna alla storia del copione da dove l'hai cambiata. "
       "Ctrl+Z toglie solo l'ultimo clic."},
      {"The purple mark: where you changed the story (Ctrl+Z takes back your last click)",
       "Il segno viola: dove hai cambiato la storia (Ctrl+Z toglie il tuo ultimo clic)"},
      {"Save", "Salva"},
      {"This file exists already. Overwrite it?", "Questo file esiste già. Sovrascriverlo?"},
      {"Overwrite", "Sovrascrivi"},
      {"Cannot write this file", "Impossibile scrivere questo file"},
      {"local", "locale"},
      {"(no mail)", "(nessun messaggio)"},
      {"(DELE: goes at QUIT)", "(DELE: sparisce al QUIT)"},
      {"(removed at QUIT)", "(rimosso al QUIT)"},
      {"server", "server"},
      {"lines %zu-%zu", "righe %zu-%zu"},
      {"Not Authenticated", "non autenticato"},
      {"Authenticated", "autenticato"},
      {"Selected", "cartella aperta"},
      {"Logout", "uscita"},
      {"The same story with every device on one protocol: POP3 on the left, IMAP on the right.",
       "La stessa storia con tutti i dispositivi su un solo protocollo: POP3 a sinistra, IMAP a destra."},
      {"Skip quiet time", "Salta i tempi morti"},
      {"To the next thing that changes: mail, folders, flags, a device, the story (S). N: next narration, Shift+N: the previous one.",
       "Alla prossima cosa che cambia: posta, cartelle, contrassegni, un dispositivo, la storia (S). N: prossima narrazione, Maiusc+N: la precedente."},
      {"Restore the mailbox %s", "Ripristina la casella %s"},
      {"Unflag", "Togli contrassegno"},
      {"a folder on this device only", "cartella solo su questo dispositivo"},
      {"+ %zu more", "+ altri %zu"},
      {"(expunged)", "(eliminato con EXPUNGE)"},
      {"Broken: its mail is gone. Replace it.", "Guasto: la sua posta è persa. Sostituiscilo."},
      {"Press Space to play, Right arrow to go one line at a time.",
       "Premi Spazio per avviare, freccia destra per andare una riga alla volta."},
  };
  return t;
}

}  // namespace

// The one-liners of sim/pop3/states.cpp and sim/imap/states.cpp, by command name.
const std::unordered_map<std::string_view, const char*>& italian_commands() {
  static const std::unordered_map<std::string_view, const char*> t = {
      {"USER", "indica la casella in cui entrare"},
      {"PASS", "invia la password (in chiaro senza TLS)"},
      {"APOP", "accede con un'impronta MD5 della password"},
      {"AUTH", "accede con un meccanismo SASL (PLAIN)"},
      {"CAPA", "chiede che cosa sa fare il server"},
      {"STLS", "passa la connessione a TLS"},
      {"STAT", "quanti messaggi, quanti ottetti"},
      {"LIST", "la dimensione di ogni messaggio (IMAP: le cartelle)"},
      {"UIDL", "l'identificativo unico di ogni messaggio"},
      {"TOP", "le intestazioni e le prime righe di un messaggio"},
      {"RETR", "scarica un messaggio intero"},
      {"DELE", "segna un messaggio da cancellare al QUIT"},
      {"NOOP", "non fa nulla (IMAP: raccoglie le novità)"},
      {"RSET", "toglie tutti i segni di cancellazione"},
      {"QUIT", "chiude la sessione; cancella i messaggi segnati"},
      {"CAPABILITY", "chiede che cosa sa fare il server"},
      {"LOGOUT", "chiude la sessione"},
      {"ID", "client e server si presentano"},
      {"STARTTLS", "passa la connessione a TLS"},
      {"AUTHENTICATE", "accede con SASL (PLAIN)"},
      {"LOGIN", "accede con nome e password"},
      {"ENABLE", "attiva delle estensioni"},
      {"SELECT", "apre una cartella per leggerla e modificarla"},
      {"EXAMINE", "apre una cartella in sola lettura"},
      {"CREATE", "crea una cartella sul server"},
      {"DELETE", "elimina una cartella"},
      {"RENAME", "rinomina una cartella"},
      {"SUBSCRIBE", "mostra una cartella nel client"},
      {"UNSUBSCRIBE", "nasconde una cartella"},
      {"LSUB", "elenca le cartelle sottoscritte"},
      {"STATUS", "conta i messaggi di una cartella"},
      {"APPEND", "salva un messaggio (per esempio in Inviati)"},
      {"NAMESPACE", "dove stanno le cartelle"},
      {"IDLE", "attende le novità che il server invia da sé"},
      {"GETQUOTA", "quanto disco è usato"},
      {"GETQUOTAROOT", "quale quota usa una cartella"},
      {"SETQUOTA", "cambia una quota (non permesso)"},
      {"CHECK", "un punto di controllo"},
      {"CLOSE", "chiude la cartella, togliendo la posta \\Deleted"},
      {"UNSELECT", "chiude la cartella senza togliere nulla"},
      {"EXPUNGE", "toglie per sempre la posta \\Deleted"},
      {"SEARCH", "cerca messaggi"},
      {"FETCH", "legge flag, intestazioni o messaggi interi"},
      {"STORE", "cambia i flag (letto, contrassegnato, eliminato)"},
      {"COPY", "copia messaggi in un'altra cartella"},
      {"MOVE", "sposta messaggi in un'altra cartella"},
      {"UID", "lo stesso, per UID invece che per posizione"},
      {"* EXISTS", "quanti messaggi ha ora la cartella"},
      {"* EXPUNGE", "il messaggio con questo numero è stato tolto; i successivi salgono di uno"},
      {"* FETCH", "i dati di un messaggio, o i flag cambiati"},
      {"* VANISHED", "questi UID sono stati tolti (l'EXPUNGE di QRESYNC)"},
      {"* ENABLED", "le estensioni ora attive"},
      {"SELECT QRESYNC", "apre la cartella e chiede solo cosa è cambiato dall'ultima volta"},
  };
  return t;
}

std::string tr_command(std::string_view name, std::string_view english) {
  if (g_lang == Lang::It) {
    auto it = italian_commands().find(name);
    if (it != italian_commands().end()) return it->second;
  }
  return std::string(english);
}

void set_lang(Lang l) { g_lang = l; }

std::string tr_event(const world::Event& e) { return world::describe(e, g_lang); }

std::string tr_folder(std::string_view stored) { return world::folder_name(stored, g_lang); }

Lang lang() { return g_lang; }

const char* tr(const char* english) {
  if (g_lang == Lang::En) return english;
  const auto& t = italian();
  auto it = t.find(english);
  return it == t.end() ? english : it->second;
}

}  // namespace postino::gui
