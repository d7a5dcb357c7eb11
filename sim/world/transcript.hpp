#pragma once
// The transcript of a run, as `postino run` prints it:
//   TIME DEVICE C: LINE      a line from the device to the server (C:tls when it travelled
//   TIME DEVICE S: LINE      encrypted: shown decrypted, marked), and from the server to it
//   TIME DEVICE * TEXT       something that happened on a device; "server" for the server
// TIME is 2026-11-26T09:00:00.080 (the time the bytes were sent). Long multi-line blocks (message
// bodies) are shortened unless `full`.
#include <string>
#include <vector>

#include "sim/world/world.hpp"

namespace postino::world {

enum class TranscriptFormat { Text, Markdown };

std::string format_time(Time t);
std::string transcript(const std::vector<TraceEntry>& trace, TranscriptFormat format, bool full,
                       const std::string& title = {});

}  // namespace postino::world
