#include "gui/i18n.hpp"

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
      {"Crash", "Si rompe"},
      {"Replace", "Sostituisci"},
      {"Create", "Crea"},
      {"new folder", "nuova cartella"},
      {"Open", "Apri"},
      {"Delete", "Elimina"},
      {"Flag", "Contrassegna"},
      {"Move to...", "Sposta in..."},
      {"connected", "connesso"},
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
      {"speed %.2gx", "velocità %.2gx"},
      {"line %d", "riga %d"},
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
      {"Cancel", "Annulla"},
      {"All devices", "Tutti i dispositivi"},
      {"Settings", "Impostazioni"},
      {"Sequence", "Sequenza"},
      {"Lines", "Righe"},
      {"Apply", "Applica"},
      {"POP3: what happens on the server after downloading", "POP3: cosa succede sul server dopo il download"},
      {"Leave a copy of messages on the server", "Lascia una copia dei messaggi sul server"},
      {"days (0: until deleted here)", "giorni (0: finché non li elimino qui)"},
      {"Delete from the server when I delete it here", "Elimina dal server quando lo elimino qui"},
      {"Push: wait for news with IDLE", "Push: attendi le novità con IDLE"},
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
  };
  return t;
}

}  // namespace

// Longer fragments first, so that "new mail for " wins over "mail for ".
constexpr std::pair<std::string_view, std::string_view> kEventFragments[] = {
    {"TLS handshake done: from now on the wire carries only encrypted records",
     "handshake TLS fatto: da qui in poi sulla rete viaggiano solo dati cifrati"},
    {"TLS handshake: from now on the wire carries only encrypted records",
     "handshake TLS: da qui in poi sulla rete viaggiano solo dati cifrati"},
    {"crashed: the device and every message stored only on it are gone",
     "si è rotto: il dispositivo e ogni messaggio salvato solo lì sono persi"},
    {"replaced by a new device with the same settings and no mail yet",
     "sostituito da un dispositivo nuovo, con le stesse impostazioni e ancora senza posta"},
    {", plain text: anyone on the network can read it", ", in chiaro: chiunque sulla rete può leggerla"},
    {" created on the device only: POP3 cannot sync folders", " creata solo sul dispositivo: POP3 non sincronizza le cartelle"},
    {" (the server copy goes at the next download)", " (la copia sul server sparisce al prossimo download)"},
    {" impossible: no backup taken before ", " impossibile: nessun backup precedente a "},
    {"the server confirmed at QUIT: message ", "il server conferma al QUIT: messaggio "},
    {"downloaded and stored on the device: ", "scaricato e salvato sul dispositivo: "},
    {"with TLS from the start", "cifrata con TLS dall'inizio"},
    {", upgraded to TLS", ", poi passa a TLS"},
    {"connects to the server: ", "si collega al server: "},
    {" deleted from the server", " cancellato dal server"},
    {"error shown to the user: ", "errore mostrato all'utente: "},
    {"time passes: it is now ", "passa il tempo: ora è il "},
    {" (the server is not told)", " (il server non ne sa nulla)"},
    {"deleted on the device: ", "eliminato sul dispositivo: "},
    {"nightly backup taken (", "backup notturno fatto ("},
    {" from the backup of ", " dal backup del "},
    {"settings changed: ", "impostazioni cambiate: "},
    {"folder created: ", "cartella creata: "},
    {"folder deleted: ", "cartella eliminata: "},
    {"folder renamed: ", "cartella rinominata: "},
    {"login failed for ", "accesso fallito per "},
    {"new mail for ", "nuova posta per "},
    {"mail for ", "posta per "},
    {" bounced: ", " respinta: "},
    {" flags now (", " ora ha i flag ("},
    {"removed from ", "rimosso da "},
    {"restore of ", "ripristino di "},
    {" messages of ", " messaggi di "},
    {" messages)", " messaggi)"},
    {"restored ", "ripristinati "},
    {"stored in ", "salvato in "},
    {"disconnected", "disconnesso"},
    {" (by ", " (da "},
    {"FAILED", "NON RIUSCITO"},
};

void set_lang(Lang l) { g_lang = l; }

std::string tr_event(std::string_view english) {
  std::string out(english);
  if (g_lang == Lang::En) return out;
  for (const auto& [en, it] : kEventFragments) {
    for (std::size_t at = out.find(en); at != std::string::npos; at = out.find(en, at + it.size()))
      out.replace(at, en.size(), it);
  }
  return out;
}
Lang lang() { return g_lang; }

const char* tr(const char* english) {
  if (g_lang == Lang::En) return english;
  const auto& t = italian();
  auto it = t.find(english);
  return it == t.end() ? english : it->second;
}

}  // namespace postino::gui
