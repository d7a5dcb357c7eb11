// The PNG writer of Debian's libstb-dev, compiled once here for --screenshot. Its own deflate was
// most of a screenshot's time (and of the screenshot tests'); zlib's is several times faster.
#include <zlib.h>

#include <cstdlib>

namespace {

// stb's compressor interface: a malloc'ed buffer stb frees, or nullptr.
unsigned char* zlib_compress(unsigned char* data, int size, int* out_size, int /*quality*/) {
  uLongf n = compressBound(static_cast<uLong>(size));
  auto* out = static_cast<unsigned char*>(std::malloc(n));
  if (out && compress2(out, &n, data, static_cast<uLong>(size), Z_DEFAULT_COMPRESSION) == Z_OK) {
    *out_size = static_cast<int>(n);
    return out;
  }
  std::free(out);
  return nullptr;
}

}  // namespace

#define STBIW_ZLIB_COMPRESS zlib_compress
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
