#pragma once
// The transcript of a run, as `postino run` prints it:
//   TIME DEVICE C: LINE      a line from the device to the server (C:tls when it travelled
//   TIME DEVICE S: LINE      encrypted: shown decrypted, marked), and from the server to it
//   TIME WHO * TEXT          something that happened: on a device, or WHO is server, clock, say or
//                            expect (in Italian server, orologio, narratore, verifica)
// TIME is 2026-11-26T09:00:00.080 (the time the bytes were sent). Long multi-line blocks (message
// bodies) are shortened unless `full`.
#include <string>
#include <vector>

#include "sim/core/lang.hpp"
#include "sim/world/world.hpp"

namespace postino::world {

enum class TranscriptFormat { Text, Markdown };

std::string format_time(Time t);
std::string transcript(const std::vector<TraceEntry>& trace, TranscriptFormat format, bool full,
                       const std::string& title = {}, Lang lang = Lang::En);
// How many lines an entry takes in the (shortened, not --full) transcript: the window numbers
// lines as `postino run` prints them.
std::size_t printed_lines(const TraceEntry& e);
// The transcript's "who" column for an entry: the device, or the server or the story's part.
std::string who_of(const TraceEntry& e, Lang lang);

}  // namespace postino::world
