/** Which measures and breakdowns the results pages show (isomorphic: loaders and components). */

/** The headline measures, in the order pages show them. */
export const HEADLINE_KEYS = ["safety_index", "unsafe_evening_share", "avoid_share", "victim_share", "police_confidence_share"] as const;

/** The breakdowns of the dashboard. */
export const BREAKDOWNS = ["area", "gender", "age_group"] as const;
