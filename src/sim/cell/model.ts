/**
 * Cu-ATSM cell trapping model (atsm-science.md §1.4, extended with the biphasic trapping of the
 * brief: a reversible Cu(I) pool, then protein-bound copper).
 *
 * State vector (amounts, any unit; the same unit for all), index order fixed by `CELL_STATE`:
 *
 *   0 EXT   Cu(II)-ATSM outside the cells (medium in vitro, interstitium in tissue)
 *   1 CI    intracellular Cu(II)-ATSM
 *   2 RED   reduced [Cu(I)ATSM]⁻ (and its protonated form)
 *   3 TRAP  reversibly trapped Cu(I) (released copper on thiols / chaperones)
 *   4 BOUND protein-bound (mitochondrial) copper
 *   5 OUT   copper released from the cells as ionic copper (in vitro: in the medium)
 *
 *   dEXT/dt   = −k_in·EXT + k_out·CI
 *   dCI/dt    =  k_in·EXT − k_out·CI − ρ·k_red·CI + k_ox·pO2·RED
 *   dRED/dt   =  ρ·k_red·CI − k_ox·pO2·RED − k_diss·RED
 *   dTRAP/dt  =  k_diss·RED − (k_bind + k_rel)·TRAP
 *   dBOUND/dt =  k_bind·TRAP − k_eff·BOUND
 *   dOUT/dt   =  k_rel·TRAP + k_eff·BOUND
 *
 * with k_ox = k_diss/P½. Every column of the rate matrix sums to zero, so total activity is
 * conserved exactly (decay-corrected amounts). With RED at quasi-steady state the net trapping
 * rate of intracellular Cu(II)-ATSM is k3_eff(pO2) = ρ·k_red·k_diss/(k_diss + k_ox·pO2)
 * = ρ·k_red/(1 + pO2/P½) (atsm-science.md §1.4; the FMISO form of §4.3).
 *
 * Membrane exchange: k_out is the efflux rate constant of intracellular Cu(II)-ATSM; influx
 * k_in = k_out·λ·V_cells/V_ext so that at equilibrium the intracellular concentration is λ times
 * the extracellular one (λ = cell:medium partition coefficient of the lipophilic complex).
 */

/** Indices of the cell-model state vector. */
export const CELL_STATE = { EXT: 0, CI: 1, RED: 2, TRAP: 3, BOUND: 4, OUT: 5 } as const;
/** Number of states of the closed (in-vitro) cell model. */
export const CELL_STATE_COUNT = 6;

/** Rate constants and cell properties of one cell line (all SI-like, units in the names). */
export interface CellKinetics {
  /** Efflux rate constant of intracellular Cu(II)-ATSM across the cell membrane, 1/s. */
  readonly kOutPerS: number;
  /** Cell:medium concentration ratio of Cu(II)-ATSM at membrane equilibrium λ, dimensionless. */
  readonly partitionCoefficient: number;
  /** Reduction rate constant of intracellular Cu(II)-ATSM at reductive state ρ = 1, 1/s. */
  readonly kRedPerS: number;
  /** Dissociation (protonation + copper release) rate constant of [Cu(I)ATSM]⁻, 1/s. */
  readonly kDissPerS: number;
  /** pO2 of half-maximal net trapping P½ = k_diss/k_ox, mmHg. */
  readonly p50MmHg: number;
  /** Transfer of reversibly trapped copper to protein-bound copper, 1/s. */
  readonly kBindPerS: number;
  /** Release of reversibly trapped copper from the cell as ionic copper, 1/s. */
  readonly kReleasePerS: number;
  /** Efflux of protein-bound copper, 1/s (0 = no efflux). */
  readonly kEffluxPerS: number;
  /** Volume of one cell, pL (1 pL = 1e-9 mL). */
  readonly cellVolumePl: number;
  /** Protein per cell, pg (for "% per µg protein"). */
  readonly proteinPerCellPg: number;
}

/**
 * Reductive state ρ multiplies k_red (1 = the cell line's reference state; >1 for cells with
 * impaired electron transport / raised NADH, Donnelly et al. PNAS 2012).
 */
export type ReductiveState = number;

/** Water vapour pressure at 37 °C, mmHg (atsm-science.md §1.3 [D]). */
export const WATER_VAPOUR_37C_MMHG = 47.1;
/** Standard atmospheric pressure, mmHg. */
export const ATMOSPHERE_MMHG = 760;

/**
 * pO2 (mmHg) of medium equilibrated with a humidified gas of `o2Percent` % O2 at 37 °C and 1 atm:
 * pO2 = (760 − 47.1)·fraction (atsm-science.md §1.3 [D]; 21 % → 149.7, 1 % → 7.13 mmHg).
 * The pericellular pO2 can be lower when cells consume O2 faster than the medium supplies it; pass
 * a measured medium pO2 instead when known (Chia et al. 2022 measured it).
 */
export function gasPercentToPo2MmHg(o2Percent: number): number {
  return ((ATMOSPHERE_MMHG - WATER_VAPOUR_37C_MMHG) * o2Percent) / 100;
}

/** Net trapping rate constant k3_eff(pO2) = ρ·k_red/(1 + pO2/P½), 1/s (quasi-steady state). */
export function netTrappingRatePerS(k: CellKinetics, pO2MmHg: number, rho: ReductiveState = 1): number {
  return (rho * k.kRedPerS) / (1 + Math.max(0, pO2MmHg) / k.p50MmHg);
}

/** Reoxidation rate constant per mmHg k_ox = k_diss/P½, 1/(s·mmHg). */
export function kOxPerMmHgPerS(k: CellKinetics): number {
  return k.kDissPerS / k.p50MmHg;
}

/**
 * Fill the 6×6 row-major rate matrix A (dx/dt = A·x) of the closed cell model.
 * @param kInPerS - influx rate constant of extracellular Cu(II)-ATSM into cells, 1/s
 *   (in vitro: k_out·λ·V_cells/V_medium; see `assayInfluxPerS`)
 */
export function cellRateMatrix(
  k: CellKinetics,
  pO2MmHg: number,
  rho: ReductiveState,
  kInPerS: number,
  out: Float64Array = new Float64Array(CELL_STATE_COUNT * CELL_STATE_COUNT),
): Float64Array {
  const n = CELL_STATE_COUNT;
  out.fill(0);
  const { EXT, CI, RED, TRAP, BOUND, OUT } = CELL_STATE;
  const kRed = rho * k.kRedPerS;
  const kOx = kOxPerMmHgPerS(k) * Math.max(0, pO2MmHg);
  const set = (r: number, c: number, v: number): void => {
    out[r * n + c] = (out[r * n + c] ?? 0) + v;
  };
  // flow c -> r at rate v: A[r][c] += v, A[c][c] -= v (columns sum to zero)
  const flow = (from: number, to: number, v: number): void => {
    set(to, from, v);
    set(from, from, -v);
  };
  flow(EXT, CI, kInPerS);
  flow(CI, EXT, k.kOutPerS);
  flow(CI, RED, kRed);
  flow(RED, CI, kOx);
  flow(RED, TRAP, k.kDissPerS);
  flow(TRAP, BOUND, k.kBindPerS);
  flow(TRAP, OUT, k.kReleasePerS);
  flow(BOUND, OUT, k.kEffluxPerS);
  return out;
}

/** Cell-associated amount: CI + RED + TRAP + BOUND. */
export function cellAssociated(x: ArrayLike<number>): number {
  return x[CELL_STATE.CI]! + x[CELL_STATE.RED]! + x[CELL_STATE.TRAP]! + x[CELL_STATE.BOUND]!;
}
