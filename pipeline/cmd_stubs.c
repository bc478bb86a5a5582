#include "cli.h"



