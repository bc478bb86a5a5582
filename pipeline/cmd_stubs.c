#include "cli.h"



int cmd_lint(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_eval(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_db(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int cmd_report(int argc, char **argv) { (void)argc; (void)argv; return 2; }
