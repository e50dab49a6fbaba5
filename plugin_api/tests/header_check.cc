// CI check 1: newsparse.h and the C++ wrapper compile as C++ with -Wpadded -Werror.
#include <type_traits>

#include "newsparse/newsparse.h"
#include "newsparse/newsparse.hpp"

static_assert(std::is_standard_layout_v<newsparse_dateline> &&
              std::is_trivial_v<newsparse_dateline>);
static_assert(std::is_standard_layout_v<newsparse_entity> && std::is_trivial_v<newsparse_entity>);
static_assert(noexcept(newsparse_parse(nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr)));

const newsparse_api* NewsparseHeaderCheckCxx() { return newsparse_get_api(NEWSPARSE_ABI_MAJOR); }
