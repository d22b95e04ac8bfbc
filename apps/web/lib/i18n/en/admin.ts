// English strings of the admin console (/admin/*). Keys start with `admin.`.
export const admin = {} as const;
