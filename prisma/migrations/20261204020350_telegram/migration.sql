-- AlterEnum
ALTER TYPE "ChannelKind" ADD VALUE 'telegram';

-- AlterEnum
ALTER TYPE "IdentityKind" ADD VALUE 'telegram';
