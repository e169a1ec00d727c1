/* Symbol visibility: the library is built with hidden visibility and
 * exports only what carries ATTRIB_API. */
#ifndef ATTRIB_EXPORT_H
#define ATTRIB_EXPORT_H

#if defined(ATTRIB_BUILDING) && defined(__GNUC__)
#define ATTRIB_API __attribute__((visibility("default")))
#else
#define ATTRIB_API
#endif

#endif
