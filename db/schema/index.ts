export * from "./organizations";
export * from "./users";
export * from "./patients";
export * from "./care-teams";
export * from "./readings";
export * from "./devices";
export * from "./readings-enums";
export * from "./backend-clients";
