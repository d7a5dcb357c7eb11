// The PNG writer of Debian's libstb-dev, compiled once here for --screenshot.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
