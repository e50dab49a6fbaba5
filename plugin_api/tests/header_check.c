/* CI check 1: newsparse.h compiles as strict C99 with -Wpadded -Werror (no implicit padding). */
#include <stddef.h>

#include "newsparse/newsparse.h"

/* The frozen records keep their sizes on LP64 (a change here is an ABI break). */
#if defined(__LP64__)
typedef char newsparse_check_place[sizeof(newsparse_place) == 64 ? 1 : -1];
typedef char newsparse_check_dateline[sizeof(newsparse_dateline) == 144 ? 1 : -1];
typedef char newsparse_check_credit[sizeof(newsparse_credit) == 40 ? 1 : -1];
typedef char newsparse_check_mention[sizeof(newsparse_mention) == 24 ? 1 : -1];
typedef char newsparse_check_entity[sizeof(newsparse_entity) == 56 ? 1 : -1];
typedef char newsparse_check_attribution[sizeof(newsparse_attribution) == 40 ? 1 : -1];
typedef char newsparse_check_date[sizeof(newsparse_date) == 32 ? 1 : -1];
typedef char newsparse_check_error[sizeof(newsparse_error) == 272 ? 1 : -1];
#endif

const newsparse_api* newsparse_header_check_c99(void);
const newsparse_api* newsparse_header_check_c99(void) {
  return newsparse_get_api(NEWSPARSE_ABI_MAJOR);
}
