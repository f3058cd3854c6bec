// Fixture for the layer check: an adapter that includes another adapter and test code.
#include "queue/sqlite_queue.h"
#include "tests/support/manual_clock.h"
