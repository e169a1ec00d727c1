/* attrib roi: an effect with its uncertainty and the value and cost lines
 * to benefit, cost, ROI and break-even figures (docs/methods/roi.md). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "Usage: attrib roi --effect E [--se SE] --learners N [options]\n"
    "ROI of a training effect (docs/methods/roi.md): benefit from the effect = E x N x V x H x A (x M),\n"
    "with decay per period; ROI %% = 100 (benefits - costs) / costs.\n\n"
    "The effect:\n"
    "  --effect E --se SE     the effect per learner and period on the KPI, and its standard error\n"
    "  --from RESULT.json     take effect.estimate and effect.std_error from an estimator's JSON; from a\n"
    "                         logit/probit fit, its average_marginal_effect (the change in probability);\n"
    "                         from a subgroup fit (JSON by), also an ROI per group (\"ROI by COL\"):\n"
    "                         the group's effect, the SE of its interval and its share of --learners\n"
    "                         (by treated learners, else by size), as analyze's subgroups\n"
    "  --outcome NAME         the outcome to value in a --from fit of several outcomes (JSON outcomes);\n"
    "                         such a file is refused without it\n"
    "  --draws FILE           bootstrap draws of the effect (a --save-draws CSV): percentile ROI interval\n"
    "                         (uncertain costs drawn beside them); refused with --from a subgroup fit\n"
    "                         (the draws are the overall effect's)\n"
    "  --bootstrap B --seed S simulate B draws of the effect from N(E, SE^2), each uncertain cost line\n"
    "                         drawn independently beside them (each group's from N(E_g, SE_g^2))\n"
    "  --save-draws FILE      write the ROI %% of each draw (with --bootstrap or --draws)\n"
    "Value:\n"
    "  --learners N           learners reached\n"
    "  --value-per-unit V     money per unit of the KPI (default 1)\n"
    "  --value-per-unit-by LEVEL=V,LEVEL=V  with --from a subgroup fit: the value per unit of named\n"
    "                         groups (each must be a level; the others take --value-per-unit)\n"
    "  --horizon H            periods the effect lasts (default 1)\n"
    "  --decay D              share of the effect lost per period (default 0)\n"
    "  --periods-per-year P   annualise: benefit and net benefit per year of the horizon (52, 12, ...)\n"
    "  --attribution A        share of the effect credited to the programme (default 1)\n"
    "  --margin M             contribution margin applied to the benefit (default 1)\n"
    "  --benefit NAME=AMOUNT  a benefit line; AMOUNT may be a product such as 200*75 (repeatable)\n"
    "  --productivity H*R     hours saved x loaded hourly rate\n"
    "  --revenue-uplift X     revenue uplift, counted at the contribution margin (--margin)\n"
    "  --retention N*C        avoided departures x cost per hire\n"
    "  --training-avoided X   external training no longer bought\n"
    "  --instructor-hours H*R instructor hours saved x rate\n"
    "  --ltv-uplift A:R:L:B   (new ARPA x retention difference x lifespan) - baseline LTV\n"
    "  --spec FILE            the same settings as INI (key = value; [costs], [benefits], [sweep]) or JSON\n"
    "Costs:\n"
    "  --cost NAME=AMOUNT[@sd=S|@range=LO..HI]   a cost line, optionally uncertain (repeatable)\n"
    "  --cost-per-learner C   adds N x C\n"
    "  --level L              interval level (default 0.95)\n"
    "Sweeps:\n"
    "  --sweep NAME=FROM:TO:STEP | NAME=V1,V2   an input over a range or list (repeatable: full grid);\n"
    "                         NAME: effect, learners, value_per_unit, horizon, decay, attribution,\n"
    "                         margin, cost_per_learner, cost.LINE, benefit.LINE. Adds a tornado table\n"
    "                         and conservative / moderate / optimistic scenarios\n"
    "  --sweep-out FILE       the full grid as CSV (one row per combination)\n"
    "  --threads N            threads for the grid\n"
    "  --boot-type, --weights-dist, --ci  refused with the reason: roi's draws of the effect are\n"
    "                         from N(E, SE^2) and its interval is the percentile one\n"
    "  --format text|json|csv, -o FILE, -q, -h; -v is accepted (no timings)\n";

static const char short_usage[] = "Usage: attrib roi --effect E [--se SE] --learners N [--cost NAME=AMOUNT ...]\n";

/* The effect of an estimator's JSON (attrib_roi_read_effect). */
static int read_from(const char *cmd, const char *path, const char *outcome, attrib_roi_input *in,
                     attrib_roi_effect_file *f, int *is_binary_fit) {
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_read_effect(path, outcome, f, &err);
  if (s) {
    fprintf(stderr, "attrib %s: %s\n", cmd, cli_flag_text(err.message, sizeof err.message));
    return s == ATTRIB_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_DATA; /* an outcome not named, or not in the file */
  }
  in->effect = f->effect;
  in->has_effect = 1;
  if (!isnan(f->se)) in->se = f->se;
  *is_binary_fit = f->binary;
  in->effect_source = f->source; /* NULL for a linear fit: the report names the file then */
  return 0;
}

static int read_draws(const char *cmd, const char *path, double **out, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "attrib %s: cannot open '%s'\n", cmd, path);
    return CLI_EXIT_DATA;
  }
  char *line = NULL; /* getline: a line of any length is read whole */
  size_t linecap = 0, cap = 0, lineno = 0;
  double *v = NULL;
  *n = 0;
  while (getline(&line, &linecap, f) != -1) {
    lineno++;
    if (lineno == 1 && strstr(line, "estimate")) continue; /* the header of --save-draws */
    if (!line[strspn(line, " \t\r\n")]) continue;        /* a blank line (a trailing one, say) */
    char *c = strrchr(line, ','), *end;
    double x = strtod(c ? c + 1 : line, &end);
    while (*end == '\r' || *end == '\n' || *end == ' ') end++;
    if (*end || end == (c ? c + 1 : line) || !isfinite(x)) {
      fprintf(stderr, "attrib %s: %s: line %zu: expected a number (the draw) as the last field\n", cmd, path, lineno);
      free(v), free(line), fclose(f);
      return CLI_EXIT_DATA;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 1024;
      double *nv = realloc(v, cap * sizeof *nv);
      if (!nv) {
        fprintf(stderr, "attrib %s: %s: out of memory\n", cmd, path);
        free(v), free(line), fclose(f);
        return CLI_EXIT_DATA;
      }
      v = nv;
    }
    v[(*n)++] = x;
  }
  free(line);
  fclose(f);
  if (*n < 10) {
    fprintf(stderr, "attrib %s: %s: %zu draws; an interval needs at least 10\n", cmd, path, *n);
    free(v);
    return CLI_EXIT_DATA;
  }
  *out = v;
  return 0;
}

enum { OPT_EFFECT = CLI_OPT_COMMAND, OPT_SE, OPT_FROM, OPT_DRAWS, OPT_LEVEL, OPT_SWEEP, OPT_SWEEP_OUT, OPT_THREADS,
       OPT_PROD, OPT_REV, OPT_RET, OPT_AVOID, OPT_INSTR, OPT_LTV, OPT_SPEC, OPT_OUTCOME };

/* Everything the flags say, and what was read for them (--from, --draws). */
typedef struct roi_opts {
  cli_common c;
  attrib_roi_input in;
  cli_lines costs, benefits;
  cli_boot boot;
  const char *from, *draws_path, *sweep_out;
  const char *outcome; /* --outcome: one of a several-outcome --from file's */
  cli_level_values by_values; /* --value-per-unit-by */
  /* --from a fit with subgroups: each group's learners, value per unit and ROI */
  double *by_learners, *by_value;
  attrib_roi_result **by_roi;
  attrib_roi_sweep_dim dims[16];
  char *dim_names[16];
  double *dim_vals[16];
  size_t n_dims, threads;
  int effect_given, binary_fit;
  size_t revenue_line; /* the --revenue-uplift benefit line, counted at the margin */
  double *draws;
  size_t n_draws;
  attrib_roi_effect_file from_file; /* --from: freed by attrib_roi_effect_file_free */
} roi_opts;

/* --sweep NAME=FROM:TO:STEP or NAME=V1,V2,...: one more grid dimension. */
static int parse_sweep(const char *cmd, const char *optarg, roi_opts *p) {
  int rc = 0;
  size_t n_dims = p->n_dims;
  const char *eq = strchr(optarg, '=');
  if (!eq || eq == optarg || n_dims == 16) {
    rc = cli_usage_error(cmd, short_usage, "--sweep expects NAME=FROM:TO:STEP or NAME=V1,V2,... (at most 16), got '%s'",
                         optarg);
    return rc;
  }
  double a, b, st, *v = NULL;
  size_t m = 0;
  char tail;
  if (sscanf(eq + 1, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3) {
    /* a range in the right form: say what is wrong with it, not that
     * it should be FROM:TO:STEP (issue 15) */
    if (!isfinite(a) || !isfinite(b) || !isfinite(st)) {
      rc = cli_usage_error(cmd, short_usage, "--sweep '%s': FROM, TO and STEP must be finite numbers", optarg);
      return rc;
    }
    if (!(st > 0)) {
      rc = cli_usage_error(cmd, short_usage, "--sweep '%s': the step must be positive, got %g", optarg, st);
      return rc;
    }
    if (b < a) {
      rc = cli_usage_error(cmd, short_usage, "--sweep '%s': FROM (%g) is above TO (%g); a range goes up", optarg, a, b);
      return rc;
    }
    if ((b - a) / st >= 1e8) {
      rc = cli_usage_error(cmd, short_usage, "--sweep '%s': %g points; a range has at most 100000000", optarg,
                           floor((b - a) / st) + 1);
      return rc;
    }
    m = (size_t)floor((b - a) / st + 1e-9) + 1;
    v = malloc(m * sizeof *v);
    for (size_t i = 0; v && i < m; i++) v[i] = a + (double)i * st;
  } else {
    char **items = cli_split_list(eq + 1);
    while (items && items[m]) m++;
    v = m ? malloc(m * sizeof *v) : NULL;
    for (size_t i = 0; v && i < m; i++)
      if (attrib_roi_amount_parse(items[i], &v[i], NULL)) {
        rc = cli_usage_error(cmd, short_usage, "--sweep '%s': item %zu, '%s', is not a number (expected FROM:TO:STEP "
                             "or a list of numbers)", optarg, i + 1, items[i]);
        free(v);
        v = NULL;
      }
    cli_list_free(items);
    if (rc) return rc;
  }
  if (!v) {
    rc = cli_usage_error(cmd, short_usage, "--sweep '%s': expected FROM:TO:STEP or a list of numbers", optarg);
    return rc;
  }
  p->dim_names[n_dims] = strndup(optarg, (size_t)(eq - optarg));
  p->dim_vals[n_dims] = v;
  p->dims[n_dims] = (attrib_roi_sweep_dim){p->dim_names[n_dims], v, m};
  p->n_dims++;
  return 0;
}

/* --productivity, --revenue-uplift, --retention, --training-avoided,
 * --instructor-hours: a named benefit line. */
static int parse_benefit_component(const char *cmd, int opt, const char *optarg, roi_opts *p) {
  cli_lines *benefits = &p->benefits;
  int rc;
  static const char *const names[] = {"productivity", "revenue", "retention", "training_avoided", "instructor_hours"};
  const char *nm = names[opt == OPT_PROD ? 0 : opt == OPT_REV ? 1 : opt == OPT_RET ? 2 : opt == OPT_AVOID ? 3 : 4];
  char *buf = NULL; /* sized to the argument: never cut short */
  if (asprintf(&buf, "%s=%s", nm, optarg) < 0) {
    return CLI_EXIT_DATA;
  }
  rc = cli_line_parse(cmd, short_usage, opt == OPT_PROD ? "--productivity" : opt == OPT_REV ? "--revenue-uplift" : opt == OPT_RET ? "--retention"
                       : opt == OPT_AVOID ? "--training-avoided" : "--instructor-hours", buf, 0, benefits);
  free(buf);
  if (!rc && opt == OPT_REV) p->revenue_line = benefits->n - 1;
  return rc;
}

/* --ltv-uplift A:R:L:B, a benefit line of (A x R x L) - B. */
static int parse_ltv(const char *cmd, const char *optarg, roi_opts *p) {
  int rc;
  double a, r, l, b;
  char tail;
  if (sscanf(optarg, "%lf:%lf:%lf:%lf%c", &a, &r, &l, &b, &tail) != 4) {
    rc = cli_usage_error(cmd, short_usage, "--ltv-uplift expects ARPA:RETENTION_DIFF:LIFESPAN:BASELINE_LTV, got '%s'", optarg);
    return rc;
  }
  char buf[128];
  snprintf(buf, sizeof buf, "ltv_uplift=%.17g", a * r * l - b);
  rc = cli_line_parse(cmd, short_usage, "--ltv-uplift", buf, 0, &p->benefits);
  return rc;
}

/* --effect, --se, --level: an amount, checked as the library checks it. */
static int parse_value(const char *cmd, int opt, const char *optarg, roi_opts *p) {
  double *target = opt == OPT_EFFECT ? &p->in.effect : opt == OPT_SE ? &p->in.se : &p->in.level;
  const char *flag = opt == OPT_EFFECT ? "--effect" : opt == OPT_SE ? "--se" : "--level";
  int rc = 0;
  if (opt == OPT_EFFECT) p->effect_given = 1;
  attrib_error err;
  attrib_error_clear(&err);
  /* the parser's message names no flag: say which one, as --cost and
   * --learners do ("--effect: amount 'nan' is not a number ...") */
  if (attrib_roi_amount_parse(optarg, target, &err))
    rc = cli_usage_error(cmd, short_usage, "%s: %s", flag, cli_flag_text(err.message, sizeof err.message));
  else if (attrib_roi_check_value(opt == OPT_EFFECT ? "effect" : opt == OPT_SE ? "se" : "level", flag, *target, &err))
    rc = cli_usage_error(cmd, short_usage, "%s", cli_flag_text(err.message, sizeof err.message));
  return rc;
}

/* The flags into p. Returns an exit code; *help when -h was given. */
static int roi_parse(const char *cmd, int argc, char **argv, roi_opts *p, int *help) {
  static const struct option longopts[] = {
      CLI_COMMON_LONGOPTS, CLI_BOOT_LONGOPTS,
      {"effect", required_argument, 0, OPT_EFFECT},       {"se", required_argument, 0, OPT_SE},
      {"from", required_argument, 0, OPT_FROM},           {"draws", required_argument, 0, OPT_DRAWS},
      CLI_ROI_LONGOPTS,                                   {"level", required_argument, 0, OPT_LEVEL},
      {"sweep", required_argument, 0, OPT_SWEEP},         {"sweep-out", required_argument, 0, OPT_SWEEP_OUT},
      {"threads", required_argument, 0, OPT_THREADS},
      {"productivity", required_argument, 0, OPT_PROD},   {"revenue-uplift", required_argument, 0, OPT_REV},
      {"retention", required_argument, 0, OPT_RET},       {"training-avoided", required_argument, 0, OPT_AVOID},
      {"instructor-hours", required_argument, 0, OPT_INSTR}, {"ltv-uplift", required_argument, 0, OPT_LTV},
      {"spec", required_argument, 0, OPT_SPEC},           {"outcome", required_argument, 0, OPT_OUTCOME},
      {"value-per-unit-by", required_argument, 0, CLI_OPT_ROI_VALUE_BY},
      {0, 0, 0, 0}};
  int rc = 0, opt;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &p->c, NULL, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &p->boot, &rc);
    if (!h) h = cli_roi_option(cmd, short_usage, opt, &p->in, &p->costs, &p->benefits, NULL, &rc);
    if (h == 2) {
      *help = 1;
      return 0;
    }
    if (h) continue;
    switch (opt) {
    case OPT_EFFECT: case OPT_SE: case OPT_LEVEL: rc = parse_value(cmd, opt, optarg, p); break;
    case OPT_FROM: p->from = optarg; break;
    case OPT_OUTCOME: p->outcome = optarg; break;
    case CLI_OPT_ROI_VALUE_BY: rc = cli_level_values_parse(cmd, short_usage, optarg, &p->by_values); break;
    case OPT_SWEEP_OUT: p->sweep_out = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &p->threads) ? 2 : 0; break;
    case OPT_SWEEP: rc = parse_sweep(cmd, optarg, p); break;
    case OPT_DRAWS: p->draws_path = optarg; break;
    case OPT_SPEC: break; /* read before the options (spec_args) */
    case OPT_PROD: case OPT_RET: case OPT_AVOID: case OPT_INSTR: case OPT_REV:
      rc = parse_benefit_component(cmd, opt, optarg, p);
      break;
    case OPT_LTV: rc = parse_ltv(cmd, optarg, p); break;
    default: rc = cli_usage_error(cmd, short_usage, "unexpected argument"); break;
    }
  }
  if (rc) return rc;
  if (optind != argc) return cli_usage_error(cmd, short_usage, "unexpected argument '%s' (roi reads no data file)", argv[optind]);
  return 0;
}

/* The flags' combinations, checked, and the effect's files (--from,
 * --draws) read into p->in; then the options into the library's input. */
static int roi_check(const char *cmd, roi_opts *p) {
  attrib_roi_input *in = &p->in;
  cli_boot *boot = &p->boot;
  int rc;
  if (p->from && p->effect_given) {
    rc = cli_usage_error(cmd, short_usage, "give --effect or --from, not both");
    return rc;
  }
  if (p->outcome && !p->from)
    return cli_usage_error(cmd, short_usage, "--outcome picks one outcome of a --from file fitted on several");
  if (p->from && (rc = read_from(cmd, p->from, p->outcome, in, &p->from_file, &p->binary_fit))) return rc;
  const attrib_by_result *by = p->from_file.by;
  if (p->by_values.n && !by)
    return cli_usage_error(cmd, short_usage, "--value-per-unit-by values subgroups: it needs --from a fit with --by "
                                             "(a JSON with by)");
  /* the draws are the overall effect's: a group's ROI interval cannot come from them */
  if (by && p->draws_path)
    return cli_usage_error(cmd, short_usage, "--draws are the overall effect's, not the subgroups': with --from a fit "
                                             "with by, use --bootstrap B (each group's effect drawn from N(E, SE^2)) or "
                                             "the analytic intervals");
  if (p->effect_given) in->has_effect = 1;
  if (!in->has_effect && !p->benefits.n) {
    rc = cli_usage_error(cmd, short_usage, "no benefit: give --effect E with --learners N, or --benefit NAME=AMOUNT lines");
    return rc;
  }
  if (in->has_effect && !(in->learners > 0.0)) {
    rc = cli_usage_error(cmd, short_usage, "the effect is per learner: give --learners N, the number of learners reached");
    return rc;
  }
  if (in->cost_per_learner != 0.0 && !(in->learners > 0.0)) {
    rc = cli_usage_error(cmd, short_usage, "--cost-per-learner needs --learners N");
    return rc;
  }
  if (p->binary_fit && p->draws_path) {
    rc = cli_usage_error(cmd, short_usage,
                         "--draws with a logit/probit --from: a logit bootstrap's draws are of the coefficient, not of "
                         "the average marginal effect; use the latter's SE (no --draws) or --bootstrap");
    return rc;
  }
  if (!p->draws_path && (rc = cli_boot_validate(cmd, short_usage, boot))) return rc;
  if (boot->save_draws && !boot->requested && !p->draws_path) {
    rc = cli_usage_error(cmd, short_usage, "--save-draws writes the ROI of each draw: it needs --bootstrap B or --draws FILE");
    return rc;
  }
  if (p->draws_path && boot->requested) {
    rc = cli_usage_error(cmd, short_usage, "give --draws (a bootstrap's) or --bootstrap (simulated draws), not both");
    return rc;
  }
  if (boot->requested && (boot->type_given || boot->weights_given || (boot->ci_given && boot->o.ci != ATTRIB_CI_PERCENTILE))) {
    rc = cli_usage_error(cmd, short_usage,
                         "roi's --bootstrap simulates the effect from N(E, SE^2): no --boot-type or --weights-dist, and "
                         "its interval is the percentile one");
    return rc;
  }
  if (boot->requested && (!in->has_effect || !(in->se > 0.0))) {
    rc = cli_usage_error(cmd, short_usage, "--bootstrap simulates the effect: it needs --effect and a positive --se");
    return rc;
  }
  if (p->draws_path && (rc = read_draws(cmd, p->draws_path, &p->draws, &p->n_draws))) return rc;
  /* the parametric bootstrap: the library draws the effect from N(E, SE^2)
   * and the uncertain costs, on independent streams of the seed */
  in->simulate = boot->requested;
  if (boot->requested) in->simulations = boot->o.replicates;
  if (p->revenue_line != SIZE_MAX) p->benefits.v[p->revenue_line].amount *= in->margin; /* revenue counts at its margin */
  in->costs = p->costs.v, in->n_costs = p->costs.n;
  in->benefits = p->benefits.v, in->n_benefits = p->benefits.n;
  in->draws = p->draws, in->n_draws = p->n_draws;
  in->seed = boot->o.seed;
  in->keep_draws = boot->save_draws != NULL;
  return 0;
}

/* --sweep-out: the full grid, one row per combination. */
static int write_sweep_grid(const char *cmd, const roi_opts *p, const attrib_roi_sweep *sw) {
  const char *sweep_out = p->sweep_out;
  const attrib_roi_sweep_dim *dims = p->dims;
  size_t n_dims = p->n_dims;
  int rc;
  cli_out so;
  if (!(rc = cli_out_open(&so, sweep_out, cmd))) {
    int bad = 0;
    for (size_t d = 0; d < n_dims; d++) bad |= fprintf(so.fp, "%s,", dims[d].name) < 0;
    bad |= fprintf(so.fp, "roi_pct,net_benefit\n") < 0;
    for (size_t cell = 0; cell < sw->n_cells && !bad; cell++) {
      size_t rest = cell, idx[16];
      for (size_t d = n_dims; d-- > 0;) idx[d] = rest % dims[d].n, rest /= dims[d].n;
      for (size_t d = 0; d < n_dims; d++) bad |= fprintf(so.fp, "%.10g,", dims[d].values[idx[d]]) < 0;
      bad |= fprintf(so.fp, "%.10g,%.10g\n", sw->roi_pct[cell], sw->net_benefit[cell]) < 0;
    }
    if (bad) {
      cli_out_abort(&so);
      fprintf(stderr, "attrib %s: cannot write '%s'\n", cmd, sweep_out);
      rc = CLI_EXIT_DATA;
    } else {
      rc = cli_out_commit(&so, cmd);
    }
  }
  return rc;
}

/* --from a fit with subgroups: the ROI of each group (attrib_roi_by_compute,
 * the rule analyze --by uses), on the same inputs as the overall ROI. */
static int roi_by(const char *cmd, roi_opts *p) {
  const attrib_by_result *by = p->from_file.by;
  size_t G = by->n_groups;
  p->by_learners = calloc(G, sizeof *p->by_learners);
  p->by_value = calloc(G, sizeof *p->by_value);
  p->by_roi = calloc(G, sizeof *p->by_roi);
  if (!p->by_learners || !p->by_value || !p->by_roi) {
    fprintf(stderr, "attrib %s: out of memory\n", cmd);
    return CLI_EXIT_DATA;
  }
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_by_compute(&p->in, by, p->by_values.v, p->by_values.n, p->by_learners, p->by_value,
                                          p->by_roi, &err);
  return s ? cli_fail(cmd, s, &err, NULL) : 0;
}

/* The result to the report writer (and the draws to --save-draws). */
static int roi_report(const char *cmd, const roi_opts *p, const attrib_roi_result *r, const attrib_roi_sweep *sw) {
  int rc;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_boot_result br = {0};
  if (p->boot.requested) {
    br.replicates = r->n_sim, br.type = ATTRIB_BOOT_PARAMETRIC, br.ci = ATTRIB_CI_PERCENTILE, br.level = p->in.level;
    br.estimate = r->roi_pct, br.std_error = r->roi_sd_pct, br.ci_low = r->roi_ci_low_pct, br.ci_high = r->roi_ci_high_pct;
    br.p_value = 1.0 - r->prob_roi_positive;
    br.p_value_method = "share of simulated ROI <= 0 (one-sided)";
  }
  if (p->boot.save_draws) { /* the ROI % of each draw */
    attrib_boot_result dr = {.draws = r->roi_draws, .n_draws = r->roi_draws ? r->n_sim : 0};
    if ((rc = cli_boot_save(cmd, &p->boot, &dr))) return rc;
  }
  cli_out o;
  if (!(rc = cli_out_open(&o, p->c.output, cmd))) {
    attrib_report_context ctx = {.command = cmd, .bootstrap = p->boot.requested ? &br : NULL,
                                 .roi_by = p->by_roi ? p->from_file.by : NULL, .roi_by_results = p->by_roi,
                                 .roi_by_learners = p->by_learners, .roi_by_value_per_unit = p->by_value};
    cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
    attrib_status s = attrib_report_write_roi(o.fp, r, &p->in, sw, p->dims, &ctx, p->c.format, &err);
    if (s) {
      cli_out_abort(&o);
      rc = cli_fail(cmd, s, &err, NULL);
    } else {
      if (!(rc = cli_out_commit(&o, cmd))) cli_warnings_print(cmd, &p->c, NULL, r->warnings, r->n_warnings);
    }
  }
  return rc;
}

int cmd_roi(int argc, char **argv) {
  const char *cmd = "roi";
  roi_opts p = {.c = {.format = ATTRIB_FORMAT_TEXT}, .revenue_line = SIZE_MAX};
  attrib_roi_input_init(&p.in);
  cli_boot_init(&p.boot);
  attrib_roi_sweep *sw = NULL;
  attrib_roi_result *r = NULL;
  int rc, help = 0;
  char **sargv = NULL;
  int sargc = 0;
  if ((rc = cli_spec_args(cmd, argc, argv, NULL, &sargc, &sargv))) return rc;
  if (sargv) argc = sargc, argv = sargv;
  if ((rc = roi_parse(cmd, argc, argv, &p, &help))) goto done;
  if (help) {
    fputs(usage_text, stdout);
    goto done;
  }
  if ((rc = roi_check(cmd, &p))) goto done;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_compute(&p.in, &r, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p.n_dims && (s = attrib_roi_sweep_compute(&p.in, p.dims, p.n_dims, p.threads, &sw, &err))) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (p.sweep_out && !sw) {
    rc = cli_usage_error(cmd, short_usage, "--sweep-out needs at least one --sweep");
    goto done;
  }
  if (p.sweep_out && (rc = write_sweep_grid(cmd, &p, sw))) goto done;
  if (p.from_file.by && (rc = roi_by(cmd, &p))) goto done;
  rc = roi_report(cmd, &p, r, sw);
done:
  attrib_roi_result_free(r);
  if (sargv) {
    for (int i = 0; i < sargc; i++) free(sargv[i]);
    free(sargv);
  }
  for (size_t d = 0; d < p.n_dims; d++) free(p.dim_names[d]), free(p.dim_vals[d]);
  attrib_roi_sweep_free(sw);
  free(p.draws);
  for (size_t g = 0; p.by_roi && g < p.from_file.by->n_groups; g++) attrib_roi_result_free(p.by_roi[g]);
  free(p.by_roi), free(p.by_learners), free(p.by_value);
  cli_level_values_free(&p.by_values);
  attrib_roi_effect_file_free(&p.from_file);
  cli_lines_free(&p.costs);
  cli_lines_free(&p.benefits);
  return rc;
}
