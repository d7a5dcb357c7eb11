#pragma once
// The interface's words in English and Italian. tr("English text") gives the text in the
// language chosen; English is the key, so a missing translation shows English, never a blank.
#include <string>
#include <string_view>

#include "sim/core/lang.hpp"
#include "sim/world/event.hpp"

namespace postino::gui {

using postino::Lang;
void set_lang(Lang lang);
Lang lang();
const char* tr(const char* english);
// What happened, in the chosen language (sim/world/narrate.hpp).
std::string tr_event(const world::Event& e);
// A folder as mail apps in the chosen language call it ("Posta in arrivo", "Cestino").
std::string tr_folder(std::string_view stored);
// What a POP3 or IMAP command does (the protocol tables' one-liners), in the chosen language.
std::string tr_command(std::string_view name, std::string_view english);

}  // namespace postino::gui
