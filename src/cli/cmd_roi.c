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
    "                         logit/probit fit, its average_marginal_effect (the change in probability)\n"
    "  --draws FILE           bootstrap draws of the effect (a --save-draws CSV): percentile ROI interval\n"
    "                         (uncertain costs drawn beside them)\n"
    "  --bootstrap B --seed S simulate B draws of the effect from N(E, SE^2), each uncertain cost line\n"
    "                         drawn independently beside them\n"
    "  --save-draws FILE      write the ROI %% of each draw (with --bootstrap or --draws)\n"
    "Value:\n"
    "  --learners N           learners reached\n"
    "  --value-per-unit V     money per unit of the KPI (default 1)\n"
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
    "  --format text|json|csv, -o FILE, -q, -h\n";

static const char short_usage[] = "Usage: attrib roi --effect E [--se SE] --learners N [--cost NAME=AMOUNT ...]\n";

/* The effect of an estimator's JSON (attrib_roi_read_effect). */
static int read_from(const char *cmd, const char *path, attrib_roi_input *in, char **source, int *is_binary_fit) {
  attrib_roi_effect_file f;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_read_effect(path, &f, &err);
  if (s) {
    fprintf(stderr, "attrib %s: %s\n", cmd, cli_flag_text(err.message, sizeof err.message));
    return CLI_EXIT_DATA;
  }
  in->effect = f.effect;
  in->has_effect = 1;
  if (!isnan(f.se)) in->se = f.se;
  *is_binary_fit = f.binary;
  *source = f.source; /* the caller frees it (free) */
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

int cmd_roi(int argc, char **argv) {
  const char *cmd = "roi";
  enum { OPT_EFFECT = CLI_OPT_COMMAND, OPT_SE, OPT_FROM, OPT_DRAWS, OPT_LEVEL, OPT_SWEEP, OPT_SWEEP_OUT, OPT_THREADS,
         OPT_PROD, OPT_REV, OPT_RET, OPT_AVOID, OPT_INSTR, OPT_LTV, OPT_SPEC };
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
      {"spec", required_argument, 0, OPT_SPEC},
      {0, 0, 0, 0}};
  cli_common c = {.format = ATTRIB_FORMAT_TEXT};
  attrib_roi_input in;
  attrib_roi_input_init(&in);
  cli_lines costs = {0}, benefits = {0};
  cli_boot boot;
  cli_boot_init(&boot);
  const char *from = NULL, *draws_path = NULL, *sweep_out = NULL;
  attrib_roi_sweep_dim dims[16];
  char *dim_names[16];
  double *dim_vals[16];
  size_t n_dims = 0, threads = 0;
  attrib_roi_sweep *sw = NULL;
  double *draws = NULL;
  size_t n_draws = 0;
  char *effect_source = NULL;
  int rc = 0, opt, effect_given = 0, binary_fit = 0;
  size_t revenue_line = SIZE_MAX;
  char **sargv = NULL;
  int sargc = 0;
  if ((rc = cli_spec_args(cmd, argc, argv, &sargc, &sargv))) return rc;
  if (sargv) argc = sargc, argv = sargv;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
    int h = cli_common_option(cmd, short_usage, opt, argv, &c, NULL, &rc);
    if (!h) h = cli_boot_option(cmd, short_usage, opt, &boot, &rc);
    if (!h) h = cli_roi_option(cmd, short_usage, opt, &in, &costs, &benefits, NULL, &rc);
    if (h == 2) {
      fputs(usage_text, stdout);
      goto done;
    }
    if (h) continue;
    double *target = NULL;
    const char *flag = NULL;
    switch (opt) {
    case OPT_EFFECT: target = &in.effect, flag = "--effect", effect_given = 1; break;
    case OPT_SE: target = &in.se, flag = "--se"; break;
    case OPT_LEVEL: target = &in.level, flag = "--level"; break;
    case OPT_FROM: from = optarg; break;
    case OPT_SWEEP_OUT: sweep_out = optarg; break;
    case OPT_THREADS: rc = cli_parse_size(cmd, short_usage, "--threads", optarg, &threads) ? 2 : 0; break;
    case OPT_SWEEP: {
      const char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg || n_dims == 16) {
        rc = cli_usage_error(cmd, short_usage, "--sweep expects NAME=FROM:TO:STEP or NAME=V1,V2,... (at most 16), got '%s'",
                             optarg);
        break;
      }
      double a, b, st, *v = NULL;
      size_t m = 0;
      char tail;
      if (sscanf(eq + 1, "%lf:%lf:%lf%c", &a, &b, &st, &tail) == 3) {
        /* a range in the right form: say what is wrong with it, not that
         * it should be FROM:TO:STEP (issue 15) */
        if (!isfinite(a) || !isfinite(b) || !isfinite(st)) {
          rc = cli_usage_error(cmd, short_usage, "--sweep '%s': FROM, TO and STEP must be finite numbers", optarg);
          break;
        }
        if (!(st > 0)) {
          rc = cli_usage_error(cmd, short_usage, "--sweep '%s': the step must be positive, got %g", optarg, st);
          break;
        }
        if (b < a) {
          rc = cli_usage_error(cmd, short_usage, "--sweep '%s': FROM (%g) is above TO (%g); a range goes up", optarg, a, b);
          break;
        }
        if ((b - a) / st >= 1e8) {
          rc = cli_usage_error(cmd, short_usage, "--sweep '%s': %g points; a range has at most 100000000", optarg,
                               floor((b - a) / st) + 1);
          break;
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
        if (rc) break;
      }
      if (!v) {
        rc = cli_usage_error(cmd, short_usage, "--sweep '%s': expected FROM:TO:STEP or a list of numbers", optarg);
        break;
      }
      dim_names[n_dims] = strndup(optarg, (size_t)(eq - optarg));
      dim_vals[n_dims] = v;
      dims[n_dims] = (attrib_roi_sweep_dim){dim_names[n_dims], v, m};
      n_dims++;
      break;
    }
    case OPT_DRAWS: draws_path = optarg; break;
    case OPT_SPEC: break; /* read before the options (spec_args) */
    case OPT_PROD: case OPT_RET: case OPT_AVOID: case OPT_INSTR: case OPT_REV: {
      /* the field's benefit components: hours saved x loaded rate, avoided
       * departures x cost per hire, external training avoided, instructor
       * hours x rate, and revenue uplift x the contribution margin (applied
       * when the costs and benefits are totalled: see below) */
      static const char *const names[] = {"productivity", "revenue", "retention", "training_avoided", "instructor_hours"};
      const char *nm = names[opt == OPT_PROD ? 0 : opt == OPT_REV ? 1 : opt == OPT_RET ? 2 : opt == OPT_AVOID ? 3 : 4];
      char *buf = NULL; /* sized to the argument: never cut short */
      if (asprintf(&buf, "%s=%s", nm, optarg) < 0) {
        rc = CLI_EXIT_DATA;
        break;
      }
      rc = cli_line_parse(cmd, short_usage, opt == OPT_PROD ? "--productivity" : opt == OPT_REV ? "--revenue-uplift" : opt == OPT_RET ? "--retention"
                           : opt == OPT_AVOID ? "--training-avoided" : "--instructor-hours", buf, 0, &benefits);
      free(buf);
      if (!rc && opt == OPT_REV) revenue_line = benefits.n - 1;
      break;
    }
    case OPT_LTV: { /* (new ARPA x retention difference x lifespan) - baseline LTV */
      double a, r, l, b;
      char tail;
      if (sscanf(optarg, "%lf:%lf:%lf:%lf%c", &a, &r, &l, &b, &tail) != 4) {
        rc = cli_usage_error(cmd, short_usage, "--ltv-uplift expects ARPA:RETENTION_DIFF:LIFESPAN:BASELINE_LTV, got '%s'", optarg);
        break;
      }
      char buf[128];
      snprintf(buf, sizeof buf, "ltv_uplift=%.17g", a * r * l - b);
      rc = cli_line_parse(cmd, short_usage, "--ltv-uplift", buf, 0, &benefits);
      break;
    }
    default: rc = cli_usage_error(cmd, short_usage, "unexpected argument"); break;
    }
    if (target) {
      attrib_error err;
      attrib_error_clear(&err);
      /* the parser's message names no flag: say which one, as --cost and
       * --learners do ("--effect: amount 'nan' is not a number ...") */
      if (attrib_roi_amount_parse(optarg, target, &err))
        rc = cli_usage_error(cmd, short_usage, "%s: %s", flag, cli_flag_text(err.message, sizeof err.message));
      else if (attrib_roi_check_value(opt == OPT_EFFECT ? "effect" : opt == OPT_SE ? "se" : "level", flag, *target, &err))
        rc = cli_usage_error(cmd, short_usage, "%s", cli_flag_text(err.message, sizeof err.message));
    }
  }
  if (rc) goto done;
  if (optind != argc) {
    rc = cli_usage_error(cmd, short_usage, "unexpected argument '%s' (roi reads no data file)", argv[optind]);
    goto done;
  }
  if (from && effect_given) {
    rc = cli_usage_error(cmd, short_usage, "give --effect or --from, not both");
    goto done;
  }
  if (from && (rc = read_from(cmd, from, &in, &effect_source, &binary_fit))) goto done;
  in.effect_source = effect_source;
  if (effect_given) in.has_effect = 1;
  if (!in.has_effect && !benefits.n) {
    rc = cli_usage_error(cmd, short_usage, "no benefit: give --effect E with --learners N, or --benefit NAME=AMOUNT lines");
    goto done;
  }
  if (in.has_effect && !(in.learners > 0.0)) {
    rc = cli_usage_error(cmd, short_usage, "the effect is per learner: give --learners N, the number of learners reached");
    goto done;
  }
  if (in.cost_per_learner != 0.0 && !(in.learners > 0.0)) {
    rc = cli_usage_error(cmd, short_usage, "--cost-per-learner needs --learners N");
    goto done;
  }
  if (binary_fit && draws_path) {
    rc = cli_usage_error(cmd, short_usage,
                         "--draws with a logit/probit --from: a logit bootstrap's draws are of the coefficient, not of "
                         "the average marginal effect; use the latter's SE (no --draws) or --bootstrap");
    goto done;
  }
  if (!draws_path && (rc = cli_boot_validate(cmd, short_usage, &boot))) goto done;
  if (boot.save_draws && !boot.requested && !draws_path) {
    rc = cli_usage_error(cmd, short_usage, "--save-draws writes the ROI of each draw: it needs --bootstrap B or --draws FILE");
    goto done;
  }
  if (draws_path && boot.requested) {
    rc = cli_usage_error(cmd, short_usage, "give --draws (a bootstrap's) or --bootstrap (simulated draws), not both");
    goto done;
  }
  if (boot.requested && (boot.type_given || boot.weights_given || (boot.ci_given && boot.o.ci != ATTRIB_CI_PERCENTILE))) {
    rc = cli_usage_error(cmd, short_usage,
                         "roi's --bootstrap simulates the effect from N(E, SE^2): no --boot-type or --weights-dist, and "
                         "its interval is the percentile one");
    goto done;
  }
  if (boot.requested && (!in.has_effect || !(in.se > 0.0))) {
    rc = cli_usage_error(cmd, short_usage, "--bootstrap simulates the effect: it needs --effect and a positive --se");
    goto done;
  }
  if (draws_path && (rc = read_draws(cmd, draws_path, &draws, &n_draws))) goto done;
  /* the parametric bootstrap: the library draws the effect from N(E, SE^2)
   * and the uncertain costs, on independent streams of the seed */
  in.simulate = boot.requested;
  if (boot.requested) in.simulations = boot.o.replicates;
  if (revenue_line != SIZE_MAX) benefits.v[revenue_line].amount *= in.margin; /* revenue counts at its margin */
  in.costs = costs.v, in.n_costs = costs.n;
  in.benefits = benefits.v, in.n_benefits = benefits.n;
  in.draws = draws, in.n_draws = n_draws;
  in.seed = boot.o.seed;
  in.keep_draws = boot.save_draws != NULL;
  attrib_roi_result *r = NULL;
  attrib_error err;
  attrib_error_clear(&err);
  attrib_status s = attrib_roi_compute(&in, &r, &err);
  if (s) {
    rc = cli_fail(cmd, s, &err, NULL);
    goto done;
  }
  if (n_dims && (s = attrib_roi_sweep_compute(&in, dims, n_dims, threads, &sw, &err))) {
    rc = cli_fail(cmd, s, &err, NULL);
    attrib_roi_result_free(r);
    goto done;
  }
  if (sweep_out && !sw) {
    rc = cli_usage_error(cmd, short_usage, "--sweep-out needs at least one --sweep");
    attrib_roi_result_free(r);
    goto done;
  }
  if (sweep_out) { /* the full grid, one row per combination */
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
    if (rc) {
      attrib_roi_result_free(r);
      goto done;
    }
  }
  attrib_boot_result br = {0};
  if (boot.requested) {
    br.replicates = r->n_sim, br.type = ATTRIB_BOOT_PARAMETRIC, br.ci = ATTRIB_CI_PERCENTILE, br.level = in.level;
    br.estimate = r->roi_pct, br.std_error = r->roi_sd_pct, br.ci_low = r->roi_ci_low_pct, br.ci_high = r->roi_ci_high_pct;
    br.p_value = 1.0 - r->prob_roi_positive;
    br.p_value_method = "share of simulated ROI <= 0 (one-sided)";
  }
  if (boot.save_draws) { /* the ROI % of each draw */
    attrib_boot_result dr = {.draws = r->roi_draws, .n_draws = r->roi_draws ? r->n_sim : 0};
    if ((rc = cli_boot_save(cmd, &boot, &dr))) {
      attrib_roi_result_free(r);
      goto done;
    }
  }
  cli_out o;
  if (!(rc = cli_out_open(&o, c.output, cmd))) {
    attrib_report_context ctx = {.command = cmd, .bootstrap = boot.requested ? &br : NULL};
    cli_flag_texts(r->warnings, r->n_warnings); /* options fields as flags, in every format */
    s = attrib_report_write_roi(o.fp, r, &in, sw, dims, &ctx, c.format, &err);
    if (s) {
      cli_out_abort(&o);
      rc = cli_fail(cmd, s, &err, NULL);
    } else {
      rc = cli_out_commit(&o, cmd);
      if (!rc && !c.quiet && c.format != ATTRIB_FORMAT_TEXT)
        for (size_t i = 0; i < r->n_warnings; i++) fprintf(stderr, "attrib %s: warning: %s\n", cmd, r->warnings[i]);
    }
  }
  attrib_roi_result_free(r);
done:
  if (sargv) {
    for (int i = 0; i < sargc; i++) free(sargv[i]);
    free(sargv);
  }
  for (size_t d = 0; d < n_dims; d++) free(dim_names[d]), free(dim_vals[d]);
  attrib_roi_sweep_free(sw);
  free(draws);
  free(effect_source);
  cli_lines_free(&costs);
  cli_lines_free(&benefits);
  return rc;
}
