// Added by pytest-synthetic: which variant of a mutant schema runs (the strength check).
#include <cstdlib>
static int synthetic_mutant() {
    static const char* value = std::getenv("SYNTHETIC_FILL_VARIABLE");
    static const int id = value ? std::atoi(value) : 0;
    return id;
}
