-- AlterEnum
ALTER TYPE "ChannelKind" ADD VALUE 'whatsapp';
