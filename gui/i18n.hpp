#pragma once
// The interface's words in English and Italian. tr("English text") gives the text in the
// language chosen; English is the key, so a missing translation shows English, never a blank.
namespace postino::gui {

enum class Lang { En, It };
void set_lang(Lang lang);
Lang lang();
const char* tr(const char* english);

}  // namespace postino::gui
