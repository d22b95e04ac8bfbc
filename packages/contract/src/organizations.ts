import { z } from 'zod';
import { ORG_ROLES } from './access.js';
import { refuseHiddenCharacters } from './shownText.js';

/**
 * Organizations (issue 16, beyond the contract): the field rules and wire shapes, written once.
 * The API validates with them, the SDK and the web app take their types from them.
 */

export const ORG_LIMITS = {
  name: 100,
  slugMin: 3,
  slugMax: 40,
  logoUrl: 2048,
  /** Pending invitations one organization may have at once. */
  pendingInvitationsPerOrg: 50,
  /** Invitations (new or resent) one person may send in a day, over every organization. */
  invitationsPerInviterPerDay: 30,
  invitationTtlDays: 7,
} as const;

export const orgName = z
  .string({ message: 'Enter an organization name.' })
  .trim()
  .min(1, 'Enter an organization name.')
  .max(ORG_LIMITS.name, `Name must be at most ${ORG_LIMITS.name} characters.`)
  .superRefine(refuseHiddenCharacters('Name'));

export const ORG_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const orgSlug = z
  .string({ message: 'Enter a slug.' })
  .trim()
  .toLowerCase()
  .min(ORG_LIMITS.slugMin, `Slug must be at least ${ORG_LIMITS.slugMin} characters.`)
  .max(ORG_LIMITS.slugMax, `Slug must be at most ${ORG_LIMITS.slugMax} characters.`)
  .regex(ORG_SLUG_PATTERN, 'Slug may hold lower-case letters, digits and dashes, and must start and end with a letter or digit.');

/** An https address only: the web app shows it as an image, and a `javascript:` or plain-http one has no place there. */
export const orgLogoUrl = z
  .string({ message: 'Logo URL must be text.' })
  .trim()
  .max(ORG_LIMITS.logoUrl, `Logo URL must be at most ${ORG_LIMITS.logoUrl} characters.`)
  .pipe(z.url({ protocol: /^https$/, message: 'Logo URL must be an https:// address.' }));

/** A domain name, lower-cased: people with a verified address there may join as members (an owner's own verified address must be there). */
export const orgDomain = z
  .string({ message: 'Domain must be text.' })
  .trim()
  .toLowerCase()
  .max(253, 'Domain is too long.')
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Enter a domain name such as example.com.');

export const orgRole = z.enum(ORG_ROLES, { message: `role must be one of ${ORG_ROLES.join(', ')}.` }).meta({ id: 'OrgRole' });

const timestamp = z.iso.datetime({ offset: true });
const uuid = z.uuid();

export const Organization = z
  .object({
    id: uuid,
    name: z.string(),
    slug: z.string(),
    logoUrl: z.string().nullable(),
    autoJoinDomain: z.string().nullable().meta({ description: 'People with a verified address at this domain may join as members.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof Organization>;

/** An organization as one of its members sees it: with their role (`null` for a global admin who is not a member). */
export const Membership = z
  .object({ organization: Organization, role: orgRole.nullable(), memberCount: z.number().int() })
  .meta({ id: 'OrganizationMembership' });
export type Membership = z.infer<typeof Membership>;

export const OrgMember = z
  .object({ userId: uuid, email: z.string(), displayName: z.string(), role: orgRole, joinedAt: timestamp })
  .meta({ id: 'OrganizationMember' });
export type OrgMember = z.infer<typeof OrgMember>;

export const OrgInvitation = z
  .object({
    id: uuid,
    organizationId: uuid,
    email: z.string(),
    role: orgRole,
    invitedBy: uuid.nullable(),
    createdAt: timestamp,
    expiresAt: timestamp,
  })
  .meta({ id: 'OrganizationInvitation' });
export type OrgInvitation = z.infer<typeof OrgInvitation>;

/** What the holder of an invitation link may learn before accepting it. */
export const InvitationPreview = z
  .object({
    organization: z.object({ id: uuid, name: z.string(), slug: z.string(), logoUrl: z.string().nullable() }),
    email: z.string(),
    role: orgRole,
    expiresAt: timestamp,
  })
  .meta({ id: 'OrganizationInvitationPreview' });
export type InvitationPreview = z.infer<typeof InvitationPreview>;

/** A project that belongs to an organization: the contract's Project plus the organization. */
export const OrgProject = z
  .object({ id: uuid, ownerId: uuid, organizationId: uuid, name: z.string(), description: z.string(), createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: 'OrganizationProject' });
export type OrgProject = z.infer<typeof OrgProject>;

/** The answer of switching the active organization: a new access token carrying it. */
export const ActiveOrganization = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    organization: Organization.nullable(),
    role: orgRole.nullable(),
  })
  .meta({ id: 'ActiveOrganization' });
export type ActiveOrganization = z.infer<typeof ActiveOrganization>;
