#ifndef DYNAMOS_CCAIRO_SHIM_H
#define DYNAMOS_CCAIRO_SHIM_H

#include <cairo.h>
#include <cairo-svg.h>
#include <zlib.h>  // deflate and crc32, for the graph worker's PNG encoder

#endif
