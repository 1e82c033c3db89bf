/** The middle value (the upper one of an even count): the bench's summary of repeated runs. */
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
