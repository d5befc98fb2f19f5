#ifndef DYNAMOS_CCAIRO_SHIM_H
#define DYNAMOS_CCAIRO_SHIM_H

#include <cairo.h>
#include <cairo-svg.h>

#endif
