/* Library version. */
#ifndef ATTRIB_VERSION_H
#define ATTRIB_VERSION_H

#include <attrib/export.h>

#define ATTRIB_VERSION_MAJOR 0
#define ATTRIB_VERSION_MINOR 1
#define ATTRIB_VERSION_PATCH 0
#define ATTRIB_VERSION_TEXT "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version as "MAJOR.MINOR.PATCH". */
ATTRIB_API const char *attrib_version(void);

#ifdef __cplusplus
}
#endif

#endif
