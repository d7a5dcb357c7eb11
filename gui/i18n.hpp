#pragma once
// The interface's words in English and Italian. tr("English text") gives the text in the
// language chosen; English is the key, so a missing translation shows English, never a blank.
#include <string>
#include <string_view>

namespace postino::gui {

enum class Lang { En, It };
void set_lang(Lang lang);
Lang lang();
const char* tr(const char* english);
// The simulation's own event lines ("downloaded and stored on the device: ...") in the chosen
// language; the trace itself stays English, so transcripts and tests do not change.
std::string tr_event(std::string_view english);
// What a POP3 or IMAP command does (the protocol tables' one-liners), in the chosen language.
std::string tr_command(std::string_view name, std::string_view english);

}  // namespace postino::gui
