/**
 * Radiolabelling planner for 64Cu-ATSM (brief protocol 1): what to draw from the vendor's vial,
 * what the product will hold at each injection time, how many doses a batch gives, ligand moles,
 * metal:ligand ratio, molar activity and decay-corrected radiochemical yield.
 *
 * Times are seconds on one common axis chosen by the caller (the app passes epoch ms / 1000).
 * Decay: A(t) = A(t0)·exp(−λ(t − t0)), λ = ln2 / T½.
 */
import { AtsmError } from "../../core/errors.js";
import { decayFactor } from "../../physics/decay.js";
import { AVOGADRO_PER_MOL, H2ATSM_FORMULA, molarMassGPerMol } from "./chemistry.js";

export interface PlanInput {
  readonly halfLifeS: number;
  /** Vendor's activity in the vial at its calibration time, Bq. */
  readonly stockActivityBq: number;
  /** Volume of the vial (64CuCl2 in 0.1 M HCl), mL. */
  readonly stockVolumeMl: number;
  readonly calibrationTimeS: number;
  /** When the activity is drawn for labelling. */
  readonly drawTimeS: number;
  /** Activity wanted in the reaction at the draw time, Bq. */
  readonly wantedActivityBq: number;
  /** Ligand mass, µg (protocol: 15 µg H2ATSM). */
  readonly ligandMassUg: number;
  /** Ligand formula (default H2ATSM). */
  readonly ligandFormula?: string;
  /**
   * Copper molar activity of the stock at calibration (GBq/µmol of total Cu, from the vendor's
   * certificate). Absent: carrier-free Cu-64 is assumed (a lower bound on Cu moles; warned).
   */
  readonly stockMolarActivityGBqPerUmol?: number;
  /** End of synthesis (after Sep-Pak elution). */
  readonly endOfSynthesisTimeS: number;
  /** Expected decay-corrected radiochemical yield, fraction 0..1 (planning value). */
  readonly expectedRcyDecayCorrected: number;
  /** Planned injection times. */
  readonly injectionTimesS: readonly number[];
  /** Activity per dose (e.g. 5–10 MBq per mouse), Bq. */
  readonly doseActivityBq: number;
}

export interface InjectionPlan {
  readonly timeS: number;
  readonly productActivityBq: number;
  readonly doses: number;
}

export interface PlanResult {
  readonly decayConstantPerS: number;
  /** Stock activity concentration at the draw time, Bq/mL. */
  readonly stockConcentrationAtDrawBqPerMl: number;
  readonly stockActivityAtDrawBq: number;
  readonly drawVolumeMl: number;
  readonly ligandMolarMassGPerMol: number;
  readonly ligandMol: number;
  /** Moles of copper (all isotopes) in the drawn activity. */
  readonly copperMol: number;
  readonly metalToLigandRatio: number;
  /** Expected product activity at end of synthesis, Bq. */
  readonly productActivityAtEosBq: number;
  /** Apparent molar activity at EOS (activity ÷ total ligand moles), GBq/µmol. */
  readonly molarActivityAtEosGBqPerUmol: number;
  readonly injections: readonly InjectionPlan[];
  readonly warnings: readonly string[];
}

/** CLI flag that supplies each planner input, named in error hints. */
const FLAG: Readonly<Record<string, string>> = {
  stockActivityBq: "--stock",
  stockVolumeMl: "--stock-ml",
  wantedActivityBq: "--want",
  ligandMassUg: "--ligand-ug",
  doseActivityBq: "--dose",
  stockMolarActivityGBqPerUmol: "--stock-molar-activity",
};

function positive(v: number, field: string): void {
  if (!(Number.isFinite(v) && v > 0)) {
    const flag = FLAG[field];
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `${field} must be a positive number`,
      value: v,
      field,
      ...(flag ? { hint: `give a value > 0 with ${flag}` } : {}),
    });
  }
}

/** Decay factor from `fromS` to `toS` (> 1 when going backwards in time). */
function decayFactorBetween(halfLifeS: number, fromS: number, toS: number): number {
  return decayFactor(halfLifeS, toS - fromS);
}

/** Plan a labelling. Throws AtsmError naming the bad field. */
export function planLabelling(input: PlanInput): PlanResult {
  positive(input.halfLifeS, "halfLifeS");
  positive(input.stockActivityBq, "stockActivityBq");
  positive(input.stockVolumeMl, "stockVolumeMl");
  positive(input.wantedActivityBq, "wantedActivityBq");
  positive(input.ligandMassUg, "ligandMassUg");
  positive(input.doseActivityBq, "doseActivityBq");
  const rcy = input.expectedRcyDecayCorrected;
  if (!(rcy > 0 && rcy <= 1)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "expected decay-corrected RCY must be a fraction in (0, 1]",
      value: rcy,
      field: "expectedRcyDecayCorrected",
      hint: "pass e.g. 0.85 for 85 %",
    });
  }
  const warnings: string[] = [];
  const lambda = Math.LN2 / input.halfLifeS;
  const stockAtDraw =
    input.stockActivityBq * decayFactorBetween(input.halfLifeS, input.calibrationTimeS, input.drawTimeS);
  const concAtDraw = stockAtDraw / input.stockVolumeMl;
  if (input.wantedActivityBq > stockAtDraw) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `the vial holds only ${(stockAtDraw / 1e6).toFixed(3)} MBq at the draw time, less than the ${(input.wantedActivityBq / 1e6).toFixed(3)} MBq wanted`,
      field: "wantedActivityBq",
      hint: "draw earlier, ask for less activity, or order a larger vial",
    });
  }
  if (!(input.endOfSynthesisTimeS >= input.drawTimeS)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `end of synthesis is ${((input.drawTimeS - input.endOfSynthesisTimeS) / 60).toFixed(1)} min before the draw time`,
      value: input.endOfSynthesisTimeS,
      field: "--eos",
      hint: "the activity is drawn first, then labelled and purified: --eos must be at or after --draw (check the dates and time zones)",
    });
  }
  if (input.drawTimeS < input.calibrationTimeS)
    warnings.push("draw time is before the vendor's calibration time (activity decayed backwards)");
  const drawVolumeMl = input.wantedActivityBq / concAtDraw;

  const mw = molarMassGPerMol(input.ligandFormula ?? H2ATSM_FORMULA);
  const ligandMol = (input.ligandMassUg * 1e-6) / mw; // µg -> g
  let copperMol: number;
  if (input.stockMolarActivityGBqPerUmol !== undefined) {
    positive(input.stockMolarActivityGBqPerUmol, "stockMolarActivityGBqPerUmol");
    // Cu moles do not decay away (Cu-64 decays to Ni/Zn): use the drawn fraction of the vial.
    const drawnFraction = input.wantedActivityBq / stockAtDraw;
    const stockCuMol = input.stockActivityBq / (input.stockMolarActivityGBqPerUmol * 1e9) / 1e6; // Bq / (Bq/µmol) -> µmol -> mol
    copperMol = stockCuMol * drawnFraction;
  } else {
    // Carrier-free: N = A/λ atoms of Cu-64 at the draw time.
    copperMol = input.wantedActivityBq / lambda / AVOGADRO_PER_MOL;
    warnings.push(
      "no stock molar activity given: copper moles assume carrier-free Cu-64 (a lower bound; stable Cu in the vial adds to it)",
    );
  }
  const productAtEos =
    input.wantedActivityBq *
    rcy *
    decayFactorBetween(input.halfLifeS, input.drawTimeS, input.endOfSynthesisTimeS);
  const molarActivity = productAtEos / 1e9 / (ligandMol * 1e6); // GBq / µmol
  const injections = input.injectionTimesS.map((t) => {
    if (t < input.endOfSynthesisTimeS)
      warnings.push(
        `an injection time is ${((input.endOfSynthesisTimeS - t) / 60).toFixed(1)} min before the end of synthesis (product not yet made)`,
      );
    const a = productAtEos * decayFactorBetween(input.halfLifeS, input.endOfSynthesisTimeS, t);
    return { timeS: t, productActivityBq: a, doses: Math.floor(a / input.doseActivityBq + 1e-9) };
  });
  return {
    decayConstantPerS: lambda,
    stockConcentrationAtDrawBqPerMl: concAtDraw,
    stockActivityAtDrawBq: stockAtDraw,
    drawVolumeMl,
    ligandMolarMassGPerMol: mw,
    ligandMol,
    copperMol,
    metalToLigandRatio: copperMol / ligandMol,
    productActivityAtEosBq: productAtEos,
    molarActivityAtEosGBqPerUmol: molarActivity,
    injections,
    warnings,
  };
}

export interface YieldInput {
  readonly halfLifeS: number;
  /** Activity put into the reaction and when it was measured. */
  readonly startActivityBq: number;
  readonly startTimeS: number;
  /** Product activity and when it was measured. */
  readonly productActivityBq: number;
  readonly productTimeS: number;
}

/**
 * Radiochemical yield: non-decay-corrected RCY = A_product / A_start; decay-corrected RCY =
 * A_product / (A_start · e^{−λ(t_product − t_start)}) (convention: RCY is reported decay-corrected,
 * lab-formats.md §3.4). Fractions 0..1.
 */
export function radiochemicalYield(input: YieldInput): {
  rcyNonDecayCorrected: number;
  rcyDecayCorrected: number;
} {
  positive(input.startActivityBq, "startActivityBq");
  if (!(input.productActivityBq >= 0)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "product activity must be ≥ 0",
      value: input.productActivityBq,
      field: "productActivityBq",
    });
  }
  const f = decayFactorBetween(input.halfLifeS, input.startTimeS, input.productTimeS);
  return {
    rcyNonDecayCorrected: input.productActivityBq / input.startActivityBq,
    rcyDecayCorrected: input.productActivityBq / (input.startActivityBq * f),
  };
}
