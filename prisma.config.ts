// Prisma CLI configuration. The product itself never runs the CLI at run time: it applies
// prisma/migrations on start (src/platform/db/migrate.ts). The CLI is for authoring.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // `prisma generate` needs no database; migration commands read DATABASE_URL.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/inbox' },
});
