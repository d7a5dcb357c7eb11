// Debian's stb PNG writer for the browser build, with stb's own deflate: there is no zlib for
// WebAssembly here (gui/stb_image_write.cpp uses zlib's on the desktop). The page takes no
// screenshots itself; window.cpp's --screenshot code only needs to link.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
